package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueConsoleCommandsTest {

    @TempDir
    Path root;

    @Test
    void consoleCommandsSpeakLikeTheCli() throws Exception {
        QueueFixture fx = new QueueFixture(root);
        try {
            String id = fx.submit("defer-1@remote.test");
            fx.idle();
            fx.close();
            QueueAdminOps admin = new QueueAdminOps(new QueueDirectory(root, RealDiskOps.INSTANCE),
                    QueueAdminOps.OFFLINE);
            QueueConsoleCommands console = new QueueConsoleCommands(admin);
            String mailq = console.mailq();
            assertTrue(mailq.startsWith(QueueCommands.HEADER), mailq);
            assertTrue(mailq.contains(id) && mailq.contains("defer-1@remote.test"), mailq);
            assertEquals(mailq, console.queue("list"));
            assertTrue(console.mailq("--json").contains("\"queue_id\""), console.mailq("--json"));
            assertThrows(IllegalArgumentException.class, () -> console.queue("frobnicate"));
            assertTrue(console.queue("delete", "ALL").contains("1"), "reports the count");
            assertEquals(List.of(), admin.list());
        } finally {
            fx.close();
        }
    }
}
