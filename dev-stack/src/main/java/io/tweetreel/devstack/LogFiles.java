package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The logs of the stack's child processes, for messages that say why one did not start. */
final class LogFiles {

    private LogFiles() {}

    /** The last {@code lines} lines of {@code file}, or why it could not be read. */
    static String tail(Path file, int lines) {
        try {
            // lenient decoding: a log may hold bytes that are not UTF-8
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
    }
}
