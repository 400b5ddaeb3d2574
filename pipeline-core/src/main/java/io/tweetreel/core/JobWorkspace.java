package io.tweetreel.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-job temp directory, deleted with everything in it on {@link #close()}, success or failure:
 * <pre>{@code
 * try (JobWorkspace workspace = JobWorkspace.create(tempBase, jobId)) {
 *     Path card = workspace.file("card.png");
 *     ...
 * }
 * }</pre>
 * Not composer-specific: every stage that downloads or renders files can use it.
 */
public final class JobWorkspace implements AutoCloseable {

    static final String PREFIX = "job-";
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkspace.class);

    private final Path dir;

    private JobWorkspace(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates a fresh directory {@code baseDir/job-<jobId>-<random>} (and {@code baseDir} if needed). The
     * random part keeps a redelivered job from colliding with a run of the same job still cleaning up.
     */
    public static JobWorkspace create(Path baseDir, String jobId) throws IOException {
        Files.createDirectories(baseDir);
        return new JobWorkspace(Files.createTempDirectory(baseDir, PREFIX + safeName(jobId) + "-"));
    }

    public Path dir() {
        return dir;
    }

    /** A path for {@code name} inside the workspace; {@code name} must be a plain file name. */
    public Path file(String name) {
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return file;
    }

    /** Deletes the directory recursively. Never throws: a leftover is logged and swept at next start-up. */
    @Override
    public void close() {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete job workspace {}", dir, e);
        }
    }

    /**
     * Deletes workspaces under {@code baseDir} left by a crashed or killed process, when older than
     * {@code olderThan} (so a sibling instance's running jobs survive). Call once at start-up.
     *
     * @return how many were deleted
     */
    public static int sweep(Path baseDir, Duration olderThan) {
        if (!Files.isDirectory(baseDir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(baseDir, PREFIX + "*")) {
            for (Path entry : entries) {
                try {
                    if (Files.isDirectory(entry)
                            && Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                        deleteRecursively(entry);
                        deleted++;
                    }
                } catch (IOException e) {
                    LOG.warn("Could not delete stale job workspace {}", entry, e);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list {} for stale job workspaces", baseDir, e);
        }
        return deleted;
    }

    private static String safeName(String jobId) {
        String safe = jobId == null ? "" : jobId.replaceAll("[^A-Za-z0-9_-]", "_");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfPresent(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                deleteIfPresent(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfPresent(Path path) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            // deleted concurrently: the goal is reached
        }
    }
}
