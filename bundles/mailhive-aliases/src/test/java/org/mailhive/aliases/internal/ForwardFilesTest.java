package org.mailhive.aliases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardFilesTest {

    @TempDir
    Path home;

    @Test
    void aForwardOnlyItsOwnerCouldHaveWrittenIsRead() throws Exception {
        Path f = home.resolve(".forward");
        Files.writeString(f, "bob@example.org\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        List<AliasValue> v = new ForwardFiles().read(home.toString(), List.of("~/.forward"), "alice@example.org");
        assertNotNull(v, "owned by the server's account (the operator made it for a virtual user)");
        assertEquals(1, v.size());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        assertNull(new ForwardFiles().read(home.toString(), List.of("~/.forward"), "alice@example.org"));
    }

    @Test
    void ownersThatMayWriteAUsersForward() {
        assertTrue(ForwardFiles.trustedOwner("alice", "alice@example.org"));
        assertTrue(ForwardFiles.trustedOwner("root", "alice@example.org"));
        assertTrue(ForwardFiles.trustedOwner(System.getProperty("user.name"), "alice@example.org"));
        assertFalse(ForwardFiles.trustedOwner("mallory-not-a-real-account", "alice@example.org"));
    }

    @Test
    void theForwardOfAUserWithAUidMustBeThatUidsOrRoots() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "giving a file to another uid needs root (this machine and CI run as root)");
        Path f = home.resolve(".forward");
        Files.writeString(f, "|/usr/bin/procmail\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ForwardFiles forwards = new ForwardFiles();
        Files.setAttribute(f, "unix:uid", 54321);
        assertNotNull(forwards.read(home.toString(), List.of("~/.forward"), "sysuser", "54321"));
        Files.setAttribute(f, "unix:uid", 54322);
        assertNull(forwards.read(home.toString(), List.of("~/.forward"), "sysuser", "54321"),
                "another account's file would run its commands as sysuser");
        Files.setAttribute(f, "unix:uid", 0);
        assertNotNull(forwards.read(home.toString(), List.of("~/.forward"), "sysuser", "54321"), "root's is trusted");
        Files.setAttribute(f, "unix:uid", 54322);
        assertNull(forwards.read(home.toString(), List.of("~/.forward"), "sysuser"),
                "by name: uid 54322 has no name of sysuser");
    }
}
