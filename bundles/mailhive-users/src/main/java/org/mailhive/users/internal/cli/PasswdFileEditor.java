package org.mailhive.users.internal.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Read-modify-write of the passwd file under an exclusive lock on {@code users.lock} beside it,
 * replacing the file by rename so that a reader sees the old or the new file, never a mix.
 */
final class PasswdFileEditor {

    /** A change of the file's lines; returns the new lines or throws to leave the file alone. */
    interface Change {
        List<String> apply(List<String> lines) throws CommandException;
    }

    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /**
     * FileChannel locks are held per JVM, not per thread: a second lock() from this JVM throws
     * OverlappingFileLockException, so threads queue on this lock first.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    PasswdFileEditor(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path file() {
        return file;
    }

    List<String> read() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    void edit(Change change) throws IOException, CommandException {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CommandException(1, "directory of " + file + " does not exist");
        }
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, k -> new ReentrantLock());
        local.lock();
        try (FileChannel lockFile = FileChannel.open(dir.resolve("users.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(NEW_FILE_MODE));
                FileLock lock = lockFile.lock()) {
            List<String> updated = change.apply(new ArrayList<>(read()));
            replace(dir, updated);
        } finally {
            local.unlock();
        }
    }

    private void replace(Path dir, List<String> lines) throws IOException {
        Set<PosixFilePermission> mode = Files.exists(file) ? Files.getPosixFilePermissions(file) : NEW_FILE_MODE;
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(NEW_FILE_MODE));
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    w.write(line);
                    w.write('\n');
                }
                w.flush();
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, mode);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }
}
