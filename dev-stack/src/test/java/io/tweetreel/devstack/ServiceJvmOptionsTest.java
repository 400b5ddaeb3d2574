package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JVM options files every start of a service reads (dev stack, tests, images): a typo there would stop every
 * service at start-up, and a lost heap cap would let each one size its heap from the machine's memory.
 */
class ServiceJvmOptionsTest {

    private static final Pattern FLAG = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+=\\s+(\\S+)", Pattern.MULTILINE);

    @ParameterizedTest
    @EnumSource(ServiceModule.class)
    void eachServiceRunsWithACappedSerialHeapFromItsOptionsFiles(ServiceModule module) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(module.jvmOptionFiles(ServiceModule.repoRoot()));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(java.exitValue()).as(output).isZero();
        assertThat(flag(output, "UseSerialGC")).isEqualTo("true");
        assertThat(flag(output, "ExitOnOutOfMemoryError")).isEqualTo("true");
        assertThat(Long.parseLong(flag(output, "MaxHeapSize"))).isBetween(64L << 20, 256L << 20);
    }

    private static String flag(String printFlagsFinal, String name) {
        Matcher m = FLAG.matcher(printFlagsFinal);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no flag " + name + " in:\n" + printFlagsFinal);
    }
}
