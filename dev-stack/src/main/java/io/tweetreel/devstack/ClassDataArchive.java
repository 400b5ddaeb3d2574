package io.tweetreel.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic class-data-sharing archive of a service JVM's library classes: the JVM maps them from the archive
 * instead of reading, parsing and verifying each class from its jar (20-30% less CPU to ready for the renderer,
 * composer and storage in one comparison, on a loaded machine). Java 17 has no automatic archive, so the first start
 * without one records it ({@code -XX:ArchiveClassesAtExit}, written when the JVM exits cleanly, e.g. on SIGTERM) and
 * later starts use it ({@code -XX:SharedArchiveFile}). The archive is named after the JVM and every jar's path, size
 * and modification time, so a rebuild or another JVM records a new one instead of using one the JVM would refuse.
 *
 * <p>Java 17 refuses to record an archive when a non-empty class directory is on the class path: {@link #in} makes
 * none then (e.g. a module compiled but not packaged), and the start goes on without one.
 */
final class ClassDataArchive {
    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);

    private final Path archive;
    private final Path recording;

    private ClassDataArchive(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /**
     * The archive in {@code dir} for a JVM named {@code name} with this class path: used when it exists, else recorded
     * by this start under a private name, so that two stacks recording at once cannot write into the same file. None
     * when a class path entry is a non-empty directory.
     */
    static Optional<ClassDataArchive> in(Path dir, String name, String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (isNonEmptyDirectory(Path.of(entry))) {
                return Optional.empty();
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            log.debug("No class-data-sharing archive: cannot create {}", dir, e);
            return Optional.empty();
        }
        Path archive = dir.resolve(name + "-" + fingerprint(classPath) + ".jsa");
        if (Files.isRegularFile(archive)) {
            return Optional.of(new ClassDataArchive(archive, null));
        }
        deleteAbandonedRecordings(dir);
        Path recording = dir.resolve(
                archive.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        return Optional.of(new ClassDataArchive(archive, recording));
    }

    /**
     * Recordings of JVMs killed while the stack that started them could not clean up (it was killed too): a
     * recording is renamed or deleted when its JVM exits, so one an hour old is abandoned.
     */
    private static void deleteAbandonedRecordings(Path dir) {
        Instant abandoned = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tmp")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(abandoned)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log.debug("Could not clean up {}", dir, e);
        }
    }

    private static boolean isNonEmptyDirectory(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (var entries = Files.list(path)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    /** The JVM option that uses the archive, or that records it at exit. */
    String jvmOption() {
        return recording == null ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + recording;
    }

    /** The archive this start records, if it records one. */
    Optional<Path> recording() {
        return Optional.ofNullable(recording);
    }

    /**
     * After the JVM exited: moves a recorded archive into place when the JVM exited by itself (a killed one may have
     * left half a file), else deletes it.
     */
    synchronized void keepRecording(boolean exitedCleanly) {
        if (recording == null) {
            return;
        }
        try {
            if (exitedCleanly && Files.size(recording) > 0) {
                // atomic rename: a JVM starting meanwhile sees no archive or the whole of it
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                log.debug("Recorded the class-data-sharing archive {}", archive);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (NoSuchFileException notRecorded) {
            // the JVM recorded none (e.g. the JDK has no base archive): starts stay slower, nothing else changes
        } catch (IOException e) {
            log.debug("Keeping no class-data-sharing archive from this run", e);
            try {
                Files.deleteIfExists(recording);
            } catch (IOException ignored) {
                // a stray temp file in the build directory is harmless
            }
        }
    }

    /** The JVM's version and each jar's path, size and modification time: what the JVM checks before using one. */
    static String fingerprint(String classPath) {
        StringBuilder identity = new StringBuilder(System.getProperty("java.vm.version"));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            identity.append('\n').append(entry);
            try {
                if (Files.isRegularFile(path)) {
                    identity.append(' ')
                            .append(Files.size(path))
                            .append(' ')
                            .append(Files.getLastModifiedTime(path).toMillis());
                }
            } catch (IOException e) {
                identity.append(" unreadable");
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
