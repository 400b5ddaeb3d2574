package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file of a child process the dev stack starts (the registry, a Kafka node), so that a later start can end
 * the child when the stack's JVM died without stopping it (kill -9). It records the pid with the process's start
 * time, so a recycled pid of some other process is never ended.
 */
final class ChildPidFile {

    private static final Logger log = LoggerFactory.getLogger(ChildPidFile.class);

    private final Path file;
    /** What the child is, for log lines ("registry", "Kafka node 2"). */
    private final String what;
    /** A string the child's command line contains: one more check that a live pid is the child. */
    private final String commandMarker;

    ChildPidFile(Path file, String what, String commandMarker) {
        this.file = file;
        this.what = what;
        this.commandMarker = commandMarker;
    }

    void write(ProcessHandle child) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(
                file,
                child.pid() + " "
                        + child.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Could not delete the pid file {}", file, e);
        }
    }

    /** Ends the child recorded in the file if it still runs (left by an earlier dev stack), and removes the file. */
    void endLeftover(Duration grace) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String[] fields = Files.readString(file).trim().split("\\s+");
        Files.deleteIfExists(file);
        try {
            long pid = Long.parseLong(fields[0]);
            long startMillis = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
            ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    // a recycled pid belongs to some other process: only end the one we started
                    .filter(handle -> handle.info()
                            .startInstant()
                            .map(Instant::toEpochMilli)
                            .map(started -> started == startMillis)
                            .orElse(false))
                    .filter(handle -> handle.info()
                            .commandLine()
                            .map(c -> c.contains(commandMarker))
                            .orElse(false))
                    .ifPresent(handle -> {
                        log.warn("Ending a {} left running by an earlier dev stack (pid {})", what, pid);
                        terminate(handle, what, grace);
                    });
        } catch (NumberFormatException e) {
            log.debug("Ignoring unreadable pid file {}", file);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}, descendants too; true when the process ended on SIGTERM. */
    static boolean terminate(ProcessHandle handle, String what, Duration grace) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        boolean graceful = true;
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notYet) {
            graceful = false;
            log.warn("{} (pid {}) did not stop within {} s, killing it", what, handle.pid(), grace.toSeconds());
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.error("{} (pid {}) is still alive after SIGKILL", what, handle.pid());
            }
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return graceful;
    }
}
