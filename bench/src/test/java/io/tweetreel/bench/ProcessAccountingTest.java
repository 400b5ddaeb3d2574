package io.tweetreel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tweetreel.bench.ProcessAccounting.TreeTicks;
import io.tweetreel.devstack.ProcessMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessAccountingTest {

    @Test
    void readsTheTimesAfterACommandNameWithSpacesAndParentheses() {
        // fields 1-2, then 3 (state) to 17; utime 14 = 700, stime 15 = 80, cutime 16 = 9, cstime 17 = 1
        String stat = "4242 (Web Content) (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 80 9 1 20 0 12 0 5 6 7";

        assertThat(ProcessAccounting.parseStatTimes(stat)).containsExactly(700, 80, 9, 1);
    }

    @Test
    void countsTheCpuOfAChildThatAlreadyEndedUnderTheProcessThatWaitedForIt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        // the inner shell burns CPU and ends; the outer one reaps it, says so, then waits on its stdin
        Process outer = new ProcessBuilder(
                        "sh",
                        "-c",
                        "sh -c 'i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done'; echo reaped; read line")
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(outer.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("reaped");

            TreeTicks ticks = ProcessAccounting.cpuTicks(outer.toHandle());

            assertThat(outer.toHandle().descendants()).isEmpty();
            assertThat(ticks.descendants())
                    .as("CPU of the ended child, in clock ticks")
                    .isGreaterThanOrEqualTo(10);
            assertThat(ticks.root()).isLessThan(ticks.descendants());
        } finally {
            outer.getOutputStream().close();
            outer.waitFor(10, TimeUnit.SECONDS);
            outer.destroyForcibly();
        }
    }

    @Test
    void measuresThisProcessesPssWithinItsResidentSize() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps_rollup")), "needs Linux 4.14+ /proc");
        long pid = ProcessHandle.current().pid();

        long pssKib = ProcessAccounting.pss(ProcessHandle.current()).rootKib();

        assertThat(pssKib).isPositive();
        assertThat(pssKib * 1024)
                .isLessThanOrEqualTo(ProcessMemory.residentBytes(pid).orElseThrow());
    }
}
