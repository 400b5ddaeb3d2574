package io.tweetreel.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A job's private temporary directory, deleted with everything in it on {@link #close()}, success or failure:
 * {@code try (var ws = JobWorkspace.create(base, jobId)) { ... }}.
 */
public final class JobWorkspace implements AutoCloseable {
    private final Path dir;

    private JobWorkspace(Path dir) {
        this.dir = dir;
    }

    public static JobWorkspace create(Path baseDir, String jobId) {
        try {
            Files.createDirectories(baseDir);
            return new JobWorkspace(Files.createTempDirectory(baseDir, "job-" + jobId + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + baseDir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        deleteRecursively(dir);
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
