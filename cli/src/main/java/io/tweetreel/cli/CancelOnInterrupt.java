package io.tweetreel.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ctrl-C while a job (or batch) runs cancels it on the gateway: a shutdown hook, because SIGINT ends the JVM from
 * its own thread whatever the main thread is doing (the JVM then exits 130, 128 + SIGINT). It also removes files the
 * command was still writing. {@link #close()} takes the hook away once the command is done, so a normal exit cancels
 * nothing.
 */
final class CancelOnInterrupt implements AutoCloseable {
    private final Thread hook;
    private final List<Path> unfinishedFiles = new CopyOnWriteArrayList<>();
    private volatile boolean armed = true;

    private CancelOnInterrupt(String what, Runnable cancel, PrintStream err) {
        this.hook = new Thread(
                () -> {
                    if (armed) {
                        err.println();
                        err.println("interrupted: canceling " + what);
                        try {
                            cancel.run();
                            err.println(what + " canceled");
                        } catch (ServerProblem | GatewayUnreachable e) {
                            err.println("tweetreel: could not cancel " + what + ": " + e.getMessage());
                        }
                    }
                    unfinishedFiles.forEach(Gateway::deleteQuietly);
                },
                "cancel-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** From now until {@link #close()}, Ctrl-C runs {@code cancel}; {@code what} names it, e.g. "job 1234". */
    static CancelOnInterrupt install(String what, Runnable cancel, PrintStream err) {
        return new CancelOnInterrupt(what, cancel, err);
    }

    /** Nothing left to cancel (the job is final); files being written are still removed on Ctrl-C. */
    void disarm() {
        armed = false;
    }

    void removeOnInterrupt(Path file) {
        unfinishedFiles.add(file);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came just now: the hook runs (or ran) and cancels; the JVM's exit code says so
        }
    }
}
