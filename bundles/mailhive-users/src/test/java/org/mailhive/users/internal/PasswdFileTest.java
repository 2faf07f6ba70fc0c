package org.mailhive.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.users.MailUser;
import org.mailhive.users.internal.scheme.PasswordSchemes;

class PasswdFileTest {

    private final PasswordSchemes schemes = PasswordSchemes.standard();

    @Test
    void roundTrip() throws PasswdFileException {
        List<String> lines = List.of(
                "# Mailhive users",
                "",
                "alice@example.org:{PLAIN}x:1000:1000:Alice A:/home/alice:/bin/false:mail=maildir:~/Maildir quota_rule=*:storage=1G",
                "Bob@Example.org:{PLAIN}y",
                "carol@example.org:{PLAIN}z::::/srv/carol",
                "dave@example.org:::::::nopassword");
        Map<String, PasswdEntry> users = PasswdFile.parse(lines, schemes);
        assertEquals(List.of("alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org"),
                List.copyOf(users.keySet()));
        assertEquals(lines.get(2), users.get("alice@example.org").format());
        assertEquals(lines.get(3), users.get("bob@example.org").format());
        assertEquals(lines.get(4), users.get("carol@example.org").format());
        assertEquals(lines.get(5), users.get("dave@example.org").format());

        PasswdEntry alice = users.get("alice@example.org");
        assertEquals(new PasswdEntry("alice@example.org", "{PLAIN}x", "1000", "1000", "Alice A", "/home/alice",
                "/bin/false", "mail=maildir:~/Maildir quota_rule=*:storage=1G"), alice);
        MailUser u = alice.toMailUser();
        assertEquals("maildir:~/Maildir", u.field("mail", null));
        assertEquals("*:storage=1G", u.field("quota_rule", null));
        assertEquals("/home/alice", u.home());
        assertEquals("", users.get("dave@example.org").extraFields().get("nopassword"));
        assertEquals("Bob@Example.org", users.get("bob@example.org").user());
    }

    @Test
    void badLinesNameTheirLineNumber() {
        assertLineError(2, List.of("a@x.org:{PLAIN}a", "nocolon"));
        assertLineError(3, List.of("# c", "a@x.org:{PLAIN}a", "A@X.org:{PLAIN}b"));
        assertLineError(1, List.of("a@x.org:{PLAIN}a:uid:1"));
        assertLineError(1, List.of("a@x.org:{ROT13}nbar"));
        assertLineError(1, List.of("not an address:{PLAIN}a"));
        assertLineError(1, List.of("noat:{PLAIN}a"));
    }

    private void assertLineError(int line, List<String> lines) {
        PasswdFileException e = assertThrows(PasswdFileException.class, () -> PasswdFile.parse(lines, schemes));
        assertEquals(line, e.line(), e.getMessage());
    }

    @Test
    void userNames() {
        assertNull(PasswdFile.userNameProblem("alice@example.org"));
        assertNotNull(PasswdFile.userNameProblem("ali:ce@example.org"));
        assertNotNull(PasswdFile.userNameProblem("ali\nce@example.org"));
        assertNotNull(PasswdFile.userNameProblem("#alice@example.org"));
        assertNotNull(PasswdFile.userNameProblem("alice"));
        assertTrue(PasswdFile.isBlankOrComment("   # x"));
        assertEquals("alice@x.org", PasswdFile.keyOf("Alice@X.org:{PLAIN}a"));
    }
}
