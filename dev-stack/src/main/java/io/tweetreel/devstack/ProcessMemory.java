package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of a process, as Linux reports it; empty elsewhere or when the process is gone. */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** {@code VmRSS} from {@code /proc/<pid>/status}, in bytes. */
    public static OptionalLong residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:    123456 kB"
                    String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(fields[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended: no number rather than a failure
        }
        return OptionalLong.empty();
    }
}
