package io.tweetreel.composer;

import com.github.kokorin.jaffree.log.LogMessage;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** ffmpeg's own error lines, out of the exception Jaffree throws when ffmpeg exits with an error. */
final class FfmpegErrorLines {

    /** Keeps a failure message fit for a status event, however much ffmpeg complained. */
    static final int MAX_MESSAGE_CHARS = 1000;

    /** {@code [png @ 0x55d1c0a3e280]}: the address differs on every run and means nothing to a user. */
    private static final Pattern CONTEXT_ADDRESS = Pattern.compile(" @ 0x[0-9a-fA-F]+\\]");

    /** {@code [error]}: the level tag of {@code -loglevel level+...}, which Jaffree leaves in the text. */
    private static final Pattern LEVEL_TAG =
            Pattern.compile("\\[(panic|fatal|error|warning|info|verbose|debug|trace)\\]\\s*");

    /** errno texts ffmpeg prints when the machine, not the input, is at fault. */
    private static final Pattern MACHINE_FAULT = Pattern.compile(
            "No space left on device|Input/output error|Read-only file system|Too many open files"
                    + "|Cannot allocate memory|Permission denied|No such file or directory|Disk quota exceeded",
            Pattern.CASE_INSENSITIVE);

    private FfmpegErrorLines() {}

    /** The distinct error lines ffmpeg logged, in order; empty when the failure carried none. */
    static List<String> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JaffreeAbnormalExitException abnormalExit) {
                Set<String> lines = new LinkedHashSet<>();
                for (LogMessage message : abnormalExit.getProcessErrorLogMessages()) {
                    if (message.message != null) {
                        for (String line : message.message.split("\\R")) {
                            String cleaned = LEVEL_TAG
                                    .matcher(CONTEXT_ADDRESS.matcher(line).replaceAll("]"))
                                    .replaceAll("")
                                    .strip();
                            if (!cleaned.isEmpty()) {
                                lines.add(cleaned);
                            }
                        }
                    }
                }
                return List.copyOf(lines);
            }
        }
        return List.of();
    }

    /** ffmpeg's error lines joined with {@code "; "}, or the exception's own message when there are none. */
    static String describe(Throwable failure) {
        List<String> lines = of(failure);
        String text = lines.isEmpty() ? String.valueOf(failure.getMessage()) : String.join("; ", lines);
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }

    /** Whether the lines name a problem of the machine (disk, permissions, memory) rather than of the input. */
    static boolean blameMachine(List<String> lines) {
        return lines.stream().anyMatch(line -> MACHINE_FAULT.matcher(line).find());
    }
}
