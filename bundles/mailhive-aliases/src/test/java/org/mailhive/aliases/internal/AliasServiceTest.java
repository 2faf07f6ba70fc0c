package org.mailhive.aliases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.aliases.AliasTarget.Command;
import org.mailhive.api.aliases.AliasTarget.File;
import org.mailhive.api.aliases.AliasTarget.Forward;
import org.mailhive.api.aliases.AliasTarget.LocalUser;
import org.mailhive.api.mail.MailAddress;

class AliasServiceTest {

    @TempDir
    Path dir;

    private final Fakes.Users users = new Fakes.Users();
    private AliasService service;
    private final Map<String, Object> config = new HashMap<>();

    @BeforeEach
    void setUp() {
        service = new AliasService(System::nanoTime, 0);
        service.setUsers(users);
        service.setIdentity(new Fakes.Identity("localhost", "example.org"));
        users.add("alice@localhost", dir.resolve("alice").toString());
        users.add("bob@localhost", dir.resolve("bob").toString());
        users.add("root", dir.resolve("root").toString());
    }

    private void aliases(String... lines) throws IOException {
        Files.write(dir.resolve("aliases"), List.of(lines), StandardCharsets.UTF_8);
        service.apply(dir.toString(), dir.toString(), config);
    }

    private Optional<List<AliasTarget>> expand(String address) {
        return service.expand(MailAddress.parse(address));
    }

    private static LocalUser user(String login, String owner) {
        return new LocalUser(login, AliasTarget.ALIAS, owner);
    }

    private Path forward(String user, String content, String perms) throws IOException {
        Path home = Files.createDirectories(dir.resolve(user));
        Path f = home.resolve(".forward");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void listOfUsersInAnyLocalDomainAndCase() throws IOException {
        aliases("team: alice, bob");
        List<AliasTarget> want = List.of(user("alice@localhost", "team"), user("bob@localhost", "team"));
        assertEquals(Optional.of(want), expand("team@localhost"));
        assertEquals(Optional.of(want), expand("TEAM@localhost"));
        assertEquals(2, expand("team@example.org").orElseThrow().size(), "bare names go to the same local domain");
        assertEquals(Optional.empty(), expand("team@remote.test"), "aliases apply to local domains only");
        assertTrue(service.isAlias(MailAddress.parse("Team+x@localhost")));
        assertFalse(service.isAlias(MailAddress.parse("alice@localhost")));
        assertFalse(service.isAlias(MailAddress.parse("team@remote.test")));
    }

    @Test
    void notAnAliasIsDeliveredAsIs() throws IOException {
        aliases("team: alice");
        assertEquals(Optional.empty(), expand("alice@localhost"));
        assertEquals(Optional.empty(), expand("nobody@localhost"));
    }

    @Test
    void nestedAliasesRemoteAddressesFilesAndCommands() throws IOException {
        aliases("all: staff, ext@remote.test, /var/archive.mbox, \"|/bin/cat > /dev/null\"",
                "staff: ops", "ops: root");
        assertEquals(Optional.of(List.of(user("root", "ops"),
                new Forward(MailAddress.parse("ext@remote.test"), AliasTarget.ALIAS, "all"),
                new File("/var/archive.mbox", AliasTarget.ALIAS, "all"),
                new Command("/bin/cat > /dev/null", AliasTarget.ALIAS, "all"))), expand("all@localhost"));
    }

    @Test
    void twoAliasLoopExpandsToNothing() throws IOException {
        aliases("loopa: loopb", "loopb: loopa", "mixed: loopa, alice");
        Expander.Result r = service.expandWithNotes(MailAddress.parse("loopa@localhost"));
        assertEquals(Optional.of(List.of()), r.targets());
        assertEquals(List.of("alias loop: loopb@localhost leads back to loopa@localhost while expanding"
                + " <loopa@localhost>; dropped"), r.dropped(), "stopped by the loop check, not by the depth limit");
        assertEquals(Optional.of(List.of(user("alice@localhost", "mixed"))), expand("mixed@localhost"));
    }

    @Test
    void selfAliasIsTheUser() throws IOException {
        aliases("alice: alice, bob");
        assertEquals(Optional.of(List.of(user("alice@localhost", "alice"), user("bob@localhost", "alice"))),
                expand("alice@localhost"));
    }

    @Test
    void duplicatesAreDeliveredOnce() throws IOException {
        aliases("both: alice, team, Alice, \\alice", "team: alice, bob");
        assertEquals(Optional.of(List.of(user("alice@localhost", "both"), user("bob@localhost", "team"))),
                expand("both@localhost"));
    }

    @Test
    void depthLimitStopsLongChains() throws IOException {
        config.put("alias_max_depth", "3");
        aliases("a1: a2", "a2: a3", "a3: a4", "a4: a5", "a5: alice", "b1: b2", "b2: alice");
        Expander.Result r = service.expandWithNotes(MailAddress.parse("a1@localhost"));
        assertEquals(Optional.of(List.of()), r.targets());
        assertEquals(1, r.dropped().size());
        assertTrue(r.dropped().get(0).startsWith("alias expansion of <a1@localhost> deeper than alias_max_depth=3 at a4@"),
                r.dropped().get(0));
        assertEquals(Optional.of(List.of(user("alice@localhost", "b2"))), expand("b1@localhost"));
    }

    @Test
    void recipientDelimiterFindsTheAliasAndUser() throws IOException {
        aliases("team: alice");
        assertEquals(Optional.of(List.of(user("alice@localhost", "team"))), expand("team+news@localhost"));
        config.put("recipient_delimiter", "");
        aliases("team: alice");
        assertEquals(Optional.empty(), expand("team+news@localhost"));
    }

    @Test
    void backslashUserIsNotExpandedFurther() throws IOException {
        aliases("alice: \\alice, bob", "bob: carol@remote.test");
        assertEquals(Optional.of(List.of(user("alice@localhost", "alice"),
                new Forward(MailAddress.parse("carol@remote.test"), AliasTarget.ALIAS, "bob"))), expand("alice@localhost"));
    }

    @Test
    void includeFileValuesComeFromInclude() throws IOException {
        Path list = dir.resolve("list.inc");
        Files.writeString(list, "bob\n\"|/bin/true\"\n/tmp/f\n");
        aliases("listed: :include:" + list);
        // include is not in allow_mail_to_* by default: the command and the file are dropped
        Expander.Result r = service.expandWithNotes(MailAddress.parse("listed@localhost"));
        assertEquals(Optional.of(List.of(new LocalUser("bob@localhost", AliasTarget.INCLUDE, "listed"))), r.targets());
        assertEquals(List.of("command \"/bin/true\" of listed (from include) dropped: allow_mail_to_commands does not"
                + " allow include (recipient <listed@localhost>); nothing is delivered to it",
                "file /tmp/f of listed (from include) dropped: allow_mail_to_files does not allow include"
                + " (recipient <listed@localhost>); nothing is delivered to it"), r.dropped());
        config.put("allow_mail_to_commands", "alias, forward, include");
        config.put("allow_mail_to_files", "include");
        aliases("listed: :include:" + list, "direct: /tmp/g");
        assertEquals(Optional.of(List.of(new LocalUser("bob@localhost", AliasTarget.INCLUDE, "listed"),
                new Command("/bin/true", AliasTarget.INCLUDE, "listed"), new File("/tmp/f", AliasTarget.INCLUDE, "listed"))),
                expand("listed@localhost"));
        assertEquals(Optional.of(List.of()), expand("direct@localhost"), "alias is no longer allowed to write files");
    }

    @Test
    void includeThatIncludesItselfStops() throws IOException {
        Path list = dir.resolve("self.inc");
        Files.writeString(list, "alice\n:include:" + list + "\n");
        aliases("selfish: :include:" + list);
        Expander.Result r = service.expandWithNotes(MailAddress.parse("selfish@localhost"));
        assertEquals(Optional.of(List.of(new LocalUser("alice@localhost", AliasTarget.INCLUDE, "selfish"))), r.targets());
        assertEquals(1, r.dropped().size(), r.dropped().toString());
        assertTrue(r.dropped().get(0).startsWith("alias loop: " + list + " includes itself"), r.dropped().get(0));
    }

    @Test
    void virtualMapsFullAddressThenCatchAll() throws IOException {
        Path virtual = dir.resolve("virtual");
        Files.writeString(virtual, "sales@shop.test  alice@localhost, partner@remote.test\n"
                + "@shop.test  bob@localhost\ninfo@shop.test  sales@shop.test\n");
        config.put("virtual_alias_maps", virtual.toString());
        aliases("team: alice");
        assertEquals(Optional.of(List.of(user("alice@localhost", "sales@shop.test"),
                new Forward(MailAddress.parse("partner@remote.test"), AliasTarget.ALIAS, "sales@shop.test"))),
                expand("Sales+x@shop.test"));
        assertEquals(Optional.of(List.of(user("bob@localhost", "anyone@shop.test"))), expand("anyone@shop.test"));
        assertEquals(2, expand("info@shop.test").orElseThrow().size());
        assertTrue(service.isAlias(MailAddress.parse("whoever@shop.test")));
        assertFalse(service.isAlias(MailAddress.parse("whoever@other.test")));
    }

    @Test
    void forwardReplacesTheMailbox() throws IOException {
        forward("alice", "alice@remote.test\n", "rw-------");
        aliases("team: alice, bob");
        Forward remote = new Forward(MailAddress.parse("alice@remote.test"), AliasTarget.FORWARD, "alice@localhost");
        assertEquals(Optional.of(List.of(remote)), expand("alice@localhost"));
        assertEquals(Optional.of(List.of(remote, user("bob@localhost", "team"))), expand("team@localhost"));
    }

    @Test
    void forwardWithBackslashKeepsACopy() throws IOException {
        forward("alice", "\\alice, alice@remote.test, \"|/usr/bin/vacation alice\"\n", "rw-r--r--");
        aliases("team: bob");
        assertEquals(Optional.of(List.of(new LocalUser("alice@localhost", AliasTarget.FORWARD, "alice@localhost"),
                new Forward(MailAddress.parse("alice@remote.test"), AliasTarget.FORWARD, "alice@localhost"),
                new Command("/usr/bin/vacation alice", AliasTarget.FORWARD, "alice@localhost"))),
                expand("alice+tag@localhost"));
    }

    @Test
    void forwardToSelfWithoutBackslashIsTheMailbox() throws IOException {
        forward("alice", "alice, bob\n", "rw-------");
        aliases("team: bob");
        assertEquals(Optional.of(List.of(new LocalUser("alice@localhost", AliasTarget.FORWARD, "alice@localhost"),
                new LocalUser("bob@localhost", AliasTarget.FORWARD, "alice@localhost"))), expand("alice@localhost"));
    }

    @Test
    void unsafeForwardIsIgnored() throws IOException {
        aliases("team: bob");
        forward("alice", "alice@remote.test\n", "rw-rw----");
        assertEquals(Optional.empty(), expand("alice@localhost"), "group-writable");
        forward("alice", "alice@remote.test\n", "rw-r--rw-");
        assertEquals(Optional.empty(), expand("alice@localhost"), "world-writable");
        Path f = dir.resolve("alice/.forward");
        Files.delete(f);
        Files.createDirectory(f);
        assertEquals(Optional.empty(), expand("alice@localhost"), "a directory");
        Files.delete(f);
        Path target = dir.resolve("elsewhere");
        Files.writeString(target, "alice@remote.test\n");
        Files.createSymbolicLink(f, target);
        assertEquals(Optional.empty(), expand("alice@localhost"), "a symbolic link");
    }

    @Test
    void forwardPathIsConfigurable() throws IOException {
        Path home = Files.createDirectories(dir.resolve("bob"));
        Files.writeString(home.resolve("fwd"), "carol@remote.test\n");
        config.put("forward_path", "$home/.forward, ~/fwd");
        aliases("team: alice");
        assertEquals(Optional.of(List.of(new Forward(MailAddress.parse("carol@remote.test"), AliasTarget.FORWARD,
                "bob@localhost"))), expand("bob@localhost"));
    }

    @Test
    void withoutServicesOnlyLocalhostIsLocalAndNoForwardIsRead() throws IOException {
        forward("alice", "alice@remote.test\n", "rw-------");
        service.setUsers(null);
        service.setIdentity(null);
        aliases("team: alice");
        assertEquals(Optional.of(List.of(user("alice@localhost", "team"))), expand("team@localhost"));
        assertEquals(Optional.empty(), expand("alice@localhost"));
        assertEquals(Optional.empty(), expand("team@example.org"));
    }

    @Test
    void severalAliasMapsFirstWins() throws IOException {
        Path second = dir.resolve("more");
        Files.writeString(second, "team: bob\nops: bob\n");
        config.put("alias_maps", "${mailhive.config}/aliases, " + second);
        aliases("team: alice");
        assertEquals(Optional.of(List.of(user("alice@localhost", "team"))), expand("team@localhost"));
        assertEquals(Optional.of(List.of(user("bob@localhost", "ops"))), expand("ops@localhost"));
    }

    @Test
    void badConfigurationKeepsThePreviousOne() throws IOException {
        aliases("team: alice");
        config.put("alias_maps", "relative/aliases");
        config.put("alias_max_depth", "many");
        service.apply(dir.toString(), dir.toString(), config);
        assertEquals(Optional.of(List.of(user("alice@localhost", "team"))), expand("team@localhost"));
    }

    @Test
    void badConfigurationOnFirstActivationUsesDefaults() throws IOException {
        Files.writeString(dir.resolve("aliases"), "team: alice\n");
        config.put("allow_mail_to_files", "everyone");
        service.apply(dir.toString(), dir.toString(), config);
        assertEquals(Optional.of(List.of(user("alice@localhost", "team"))), expand("team@localhost"));
    }
}
