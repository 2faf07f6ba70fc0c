package org.mailhive.aliases.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasesCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        AliasesCommand c = new AliasesCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return c.run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rebuildOfAGoodFileSucceeds() throws IOException {
        Path list = dir.resolve("list.inc");
        Files.writeString(list, "bob\n");
        Files.writeString(dir.resolve("aliases"), "postmaster: root\nteam: alice, bob\nlisted: :include:" + list + "\n");
        assertEquals(0, run("--config", dir.toString(), "rebuild"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(dir.resolve("aliases") + ": 3 aliases"), out.toString());
        assertEquals("", err());
    }

    @Test
    void errorsAreListedWithFileAndLine() throws IOException {
        Path aliases = dir.resolve("aliases");
        Files.writeString(aliases, "team: alice\n# x\nno colon here\nteam: bob\nlisted: :include:" + dir.resolve("gone") + "\n");
        assertEquals(1, run("--config=" + dir, "check"));
        String e = err();
        assertTrue(e.contains(aliases + ":3: missing colon after alias name\n"), e);
        assertTrue(e.contains(aliases + ":4: duplicate name \"team\"\n"), e);
        assertTrue(e.contains(dir.resolve("gone") + ": included file does not exist\n"), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "check is silent on stdout");
    }

    @Test
    void filesNamedInTheConfigurationAreChecked() throws IOException {
        Path other = dir.resolve("site-aliases");
        Path virtual = dir.resolve("virtual");
        Path list = dir.resolve("list.inc");
        Files.writeString(dir.resolve("org.mailhive.aliases.cfg"),
                "alias_maps = ${mailhive.config}/aliases, " + other + "\nvirtual_alias_maps = " + virtual + "\n");
        Files.writeString(dir.resolve("aliases"), "a: alice\n");
        Files.writeString(other, "b: :include:" + list + "\n");
        Files.writeString(list, "ok\nnot ok\n");
        Files.writeString(virtual, "sales@shop.test\n");
        assertEquals(1, run("--config", dir.toString(), "rebuild"));
        String e = err();
        assertTrue(e.contains(list + ":2: bad address \"not ok\"\n"), e);
        assertTrue(e.contains(virtual + ":1: empty value for \"sales@shop.test\"\n"), e);
    }

    @Test
    void missingAliasesFileIsAnError() {
        assertEquals(1, run("--config", dir.toString(), "rebuild"));
        assertTrue(err().contains(dir.resolve("aliases") + ": does not exist"), err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("rebuild", "--config"));
        assertEquals(2, run("--config", dir.toString()));
        assertEquals(2, run("--config", dir.toString(), "compile"));
        assertEquals(2, run("--config", dir.toString(), "--verbose", "check"));
        assertTrue(err().contains("usage: mailhive aliases"), err());
    }
}
