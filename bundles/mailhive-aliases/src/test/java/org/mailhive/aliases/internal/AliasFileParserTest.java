package org.mailhive.aliases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailhive.aliases.internal.AliasValue.Kind;

class AliasFileParserTest {

    private static AliasTable aliases(String... lines) {
        return AliasFileParser.parseAliases("aliases", List.of(lines));
    }

    private static String firstError(AliasTable t) {
        assertTrue(!t.ok(), "expected an error");
        return t.errors().get(0).getMessage();
    }

    @Test
    void listsWithCommentsAndContinuationLines() {
        AliasTable t = aliases(
                "# staff",
                "team: alice,",
                "   bob ,carol@example.org",
                "",
                "\t, dave",
                "Single: alice");
        assertTrue(t.ok(), t.errors().toString());
        assertEquals(List.of(new AliasValue(Kind.NAME, "alice", 2), new AliasValue(Kind.NAME, "bob", 2),
                new AliasValue(Kind.ADDRESS, "carol@example.org", 2), new AliasValue(Kind.NAME, "dave", 2)),
                t.get("team"));
        assertEquals(List.of(new AliasValue(Kind.NAME, "alice", 6)), t.get("single"), "names are lower case keys");
    }

    @Test
    void everyKindOfValue() {
        AliasTable t = aliases(
                "x: /var/mail/archive.mbox, \"|/bin/sh -c 'cat > /tmp/a, b'\", :include:/etc/mail/list,",
                "  \\alice, |/usr/bin/vacation alice");
        assertTrue(t.ok(), t.errors().toString());
        assertEquals(List.of(new AliasValue(Kind.FILE, "/var/mail/archive.mbox", 1),
                new AliasValue(Kind.COMMAND, "/bin/sh -c 'cat > /tmp/a, b'", 1),
                new AliasValue(Kind.INCLUDE, "/etc/mail/list", 1),
                new AliasValue(Kind.MAILBOX, "alice", 1),
                new AliasValue(Kind.COMMAND, "/usr/bin/vacation alice", 1)), t.get("x"));
    }

    @Test
    void quotedNameWithColonAndSpace() {
        AliasTable t = aliases("\"sales team: east\": alice");
        assertTrue(t.ok(), t.errors().toString());
        assertEquals(List.of(new AliasValue(Kind.NAME, "alice", 1)), t.get("sales team: east"));
    }

    @Test
    void errorsNameFileAndLine() {
        assertEquals("aliases:3: missing colon after alias name", firstError(aliases("a: b", "# c", "broken line")));
        assertEquals("aliases:2: duplicate name \"a\"", firstError(aliases("a: b", "A: c")));
        assertEquals("aliases:1: empty value for \"a\"", firstError(aliases("a:   ", "b: c")));
        assertEquals("aliases:2: bad address \"x@@y\": ", firstError(aliases("a: b", "c: x@@y")).substring(0, 31));
        assertEquals("aliases:1: bad address \"bad name\"", firstError(aliases("a: bad name")));
        assertEquals("aliases:1: empty value in list", firstError(aliases("a: b,,c")));
        assertEquals("aliases:1: continuation line without an entry before it", firstError(aliases("  b")));
        assertEquals("aliases:2: unterminated quote", firstError(aliases("a: b", "c: \"|cmd")));
    }

    @Test
    void errorOnContinuedEntryReportsItsFirstLine() {
        AliasTable t = aliases("ok: alice", "list: alice,", "  bob bad", "next: carol");
        assertEquals(1, t.errors().size());
        assertEquals(2, t.errors().get(0).line());
        assertEquals(List.of(new AliasValue(Kind.NAME, "carol", 4)), t.get("next"), "later entries still parse");
    }

    @Test
    void includeAndForwardValuesOnePerLineOrMore() {
        List<AliasSyntaxException> errors = new ArrayList<>();
        List<AliasValue> v = AliasFileParser.parseValues("list.inc", List.of("# members", "bob", "carol, \\dave",
                "\"|/bin/true\""), errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(List.of(new AliasValue(Kind.NAME, "bob", 2), new AliasValue(Kind.NAME, "carol", 3),
                new AliasValue(Kind.MAILBOX, "dave", 3), new AliasValue(Kind.COMMAND, "/bin/true", 4)), v);
        AliasFileParser.parseValues("list.inc", List.of("bob", "x y"), errors);
        assertEquals("list.inc:2: bad address \"x y\"", errors.get(0).getMessage());
    }

    @Test
    void relativeIncludeIsAnError() {
        assertEquals("aliases:1: include path must be absolute: \"list\"", firstError(aliases("a: :include:list")));
    }

    @Test
    void virtualMapsTakeAddressesAndCatchAll() {
        AliasTable t = AliasFileParser.parseVirtual("virtual", List.of(
                "Sales@Example.COM  alice, bob@other.test",
                "@example.com       catchall",
                "info@example.com   sales@example.com"));
        assertTrue(t.ok(), t.errors().toString());
        assertEquals(List.of(new AliasValue(Kind.NAME, "alice", 1), new AliasValue(Kind.ADDRESS, "bob@other.test", 1)),
                t.get("sales@example.com"));
        assertEquals(List.of(new AliasValue(Kind.NAME, "catchall", 2)), t.get("@example.com"));
        assertNull(t.get("info@other.test"));
    }

    @Test
    void virtualMapsRefuseFilesAndCommands() {
        AliasTable t = AliasFileParser.parseVirtual("virtual", List.of("a@example.com /tmp/x", "b@example.com"));
        assertEquals(List.of("virtual:1: only addresses are allowed in a virtual alias map, not \"/tmp/x\"",
                "virtual:2: empty value for \"b@example.com\""),
                t.errors().stream().map(Exception::getMessage).toList());
        assertNull(t.get("a@example.com"));
    }
}
