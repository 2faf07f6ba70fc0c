package org.mailhive.aliases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.aliases.AliasTarget.LocalUser;
import org.mailhive.api.mail.MailAddress;

/** Edits while running, with a hand-driven clock so the 500 ms check interval is exact. */
class ReloadTest {

    private static final long HALF_SECOND = TimeUnit.MILLISECONDS.toNanos(500);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private AliasService service;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        file = dir.resolve("aliases");
        Files.writeString(file, "team: alice\n");
        service = new AliasService(now::get, HALF_SECOND);
        service.setUsers(new Fakes.Users().add("alice@localhost", "").add("bob@localhost", ""));
        service.apply(dir.toString(), dir.toString(), Map.of());
    }

    private Optional<List<AliasTarget>> expand(String address) {
        return service.expand(MailAddress.parse(address));
    }

    private static Optional<List<AliasTarget>> users(String owner, String... logins) {
        return Optional.of(java.util.Arrays.stream(logins)
                .map(l -> (AliasTarget) new LocalUser(l, AliasTarget.ALIAS, owner)).toList());
    }

    private void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void appendedAliasIsSeenAfterTheCheckInterval() throws IOException {
        assertFalse(service.isAlias(MailAddress.parse("late@localhost")));
        append(file, "late: bob\n");
        now.addAndGet(HALF_SECOND - 1);
        assertFalse(service.isAlias(MailAddress.parse("late@localhost")), "not stat-ed again within 500 ms");
        now.addAndGet(1);
        assertTrue(service.isAlias(MailAddress.parse("late@localhost")));
        assertEquals(users("late", "bob@localhost"), expand("late@localhost"));
    }

    @Test
    void brokenEditKeepsTheOldMapUntilFixed() throws IOException {
        Files.writeString(file, "team: alice, bob\nbroken line\n");
        now.addAndGet(HALF_SECOND);
        assertEquals(users("team", "alice@localhost"), expand("team@localhost"), "the broken version is not used");
        Files.writeString(file, "team: alice, bob\n");
        now.addAndGet(HALF_SECOND);
        assertEquals(users("team", "alice@localhost", "bob@localhost"), expand("team@localhost"));
    }

    @Test
    void replacedFileWithSameSizeIsReloaded() throws IOException {
        Path tmp = dir.resolve("aliases.new");
        Files.writeString(tmp, "team:   bob\n");
        assertEquals(Files.size(file), Files.size(tmp));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        now.addAndGet(HALF_SECOND);
        assertEquals(users("team", "bob@localhost"), expand("team@localhost"), "a new inode is a new file");
    }

    @Test
    void includeFileIsReReadWhenItChanges() throws IOException {
        Path list = dir.resolve("list.inc");
        Files.writeString(list, "alice\n");
        append(file, "listed: :include:" + list + "\n");
        now.addAndGet(HALF_SECOND);
        assertEquals(1, expand("listed@localhost").orElseThrow().size());
        append(list, "bob\n");
        now.addAndGet(HALF_SECOND);
        assertEquals(Optional.of(List.of(new LocalUser("alice@localhost", AliasTarget.INCLUDE, "listed"),
                new LocalUser("bob@localhost", AliasTarget.INCLUDE, "listed"))), expand("listed@localhost"));
    }

    @Test
    void removedFileMeansNoAliases() throws IOException {
        Files.delete(file);
        now.addAndGet(HALF_SECOND);
        assertEquals(Optional.empty(), expand("team@localhost"));
        Files.writeString(file, "team: bob\n");
        now.addAndGet(HALF_SECOND);
        assertEquals(users("team", "bob@localhost"), expand("team@localhost"));
    }
}
