package org.mailhive.aliases.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
