package io.tweetreel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time and proportional memory (PSS) of a process and of everything below it, read from Linux {@code /proc}.
 *
 * <p>CPU of a process tree counts the processes that already ended too: when a parent reaps a child, the kernel adds
 * the child's CPU, and that of the children it reaped, to the parent's {@code cutime}/{@code cstime}. So a short-lived
 * FFmpeg that ran and ended between two samples still shows in the second one, under the process that waited for it.
 * Only a process that outlived its parent (re-parented to init) is lost.
 */
final class ProcessAccounting {
    /** {@code USER_HZ}, the unit of the times in {@code /proc/<pid>/stat}: 100 on every Linux we run on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcessAccounting() {}

    /** CPU of one process tree in clock ticks: the root process's own, and all below it, running or ended. */
    record TreeTicks(long root, long descendants) {
        TreeTicks minus(TreeTicks earlier) {
            return new TreeTicks(root - earlier.root, descendants - earlier.descendants);
        }
    }

    /** PSS of one process tree in KiB: the root process's, and the sum over the processes below it that run now. */
    record TreePss(long rootKib, long descendantsKib) {}

    /** Zero for a process that is gone or unreadable: a sample then under-counts rather than fails. */
    static TreeTicks cpuTicks(ProcessHandle root) {
        long[] own = statTimes(root.pid());
        // the root's reaped children, then each live descendant with the children it reaped in turn
        long descendants = own[2] + own[3];
        for (ProcessHandle p : root.descendants().toList()) {
            long[] t = statTimes(p.pid());
            descendants += t[0] + t[1] + t[2] + t[3];
        }
        return new TreeTicks(own[0] + own[1], descendants);
    }

    static TreePss pss(ProcessHandle root) {
        long descendants = 0;
        for (ProcessHandle p : root.descendants().toList()) {
            descendants += pssKib(p.pid()).orElse(0);
        }
        return new TreePss(pssKib(root.pid()).orElse(0), descendants);
    }

    /** {@code Pss:} from {@code /proc/<pid>/smaps_rollup}; empty when the process is gone or not ours to read. */
    static OptionalLong pssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    // "Pss:              306 kB"
                    return OptionalLong.of(Long.parseLong(
                            line.substring("Pss:".length()).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // ended between the listing and the read: it holds no memory any more
        }
        return OptionalLong.empty();
    }

    /**
     * Busy clock ticks of the whole machine, all cores, every process (the {@code cpu} line of {@code /proc/stat}
     * without idle and iowait): what the accounted processes are compared against.
     */
    static long machineBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest is inside user
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        busy += Long.parseLong(f[i]);
                    }
                    return busy;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** {utime, stime, cutime, cstime} of a process; zeros when it is gone. */
    private static long[] statTimes(long pid) {
        try {
            return parseStatTimes(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            // ended between the listing and the read: its time is now in its parent's cutime
            return new long[4];
        }
    }

    /** {utime, stime, cutime, cstime} from a {@code /proc/<pid>/stat} line (fields 14 to 17, proc(5)). */
    static long[] parseStatTimes(String stat) {
        // the command name (field 2) is in parentheses and may itself hold spaces and parentheses
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }
}
