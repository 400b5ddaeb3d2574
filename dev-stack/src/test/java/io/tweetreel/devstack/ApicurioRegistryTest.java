package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void endStartedProcesses() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void aChildLeftByAKilledDevStackIsEndedAtTheNextStart() throws Exception {
        // stands in for a registry whose parent JVM was killed: its command line mentions apicurio
        Process leftover = start("bash", "-c", "sleep 600; : apicurio-registry-app");
        ApicurioRegistry previous = registry();
        previous.writePidFile(leftover.toHandle());

        registry().endLeftoverChild();

        assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(leftover.descendants().filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(dir.resolve("registry/registry.pid")).doesNotExist();
    }

    @Test
    void anUnrelatedProcessThatReusedThePidIsLeftAlone() throws Exception {
        Process unrelated = start("sleep", "600");
        registry().writePidFile(unrelated.toHandle());

        registry().endLeftoverChild();

        assertThat(unrelated.isAlive()).isTrue();
    }

    @Test
    void aMissingDistributionIsReportedWithTheWayToGetIt() {
        assertThatThrownBy(() -> ApicurioRegistry.findRunnerJar(dir)).hasMessageContaining("runner.jar");
    }

    @Test
    void anExplicitHomeWithoutTheDistributionIsAnErrorNotAFallback() {
        String before = System.getProperty("apicurio.home");
        System.setProperty("apicurio.home", dir.toString());
        try {
            assertThatThrownBy(ApicurioRegistry::locateHome)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("APICURIO_HOME");
        } finally {
            if (before == null) {
                System.clearProperty("apicurio.home");
            } else {
                System.setProperty("apicurio.home", before);
            }
        }
    }

    @Test
    void theBuildUnpackedTheDistributionWhereItCanBeFound() {
        Path home = ApicurioRegistry.locateHome();
        assertThat(ApicurioRegistry.findRunnerJar(home).getFileName().toString())
                .matches("apicurio-registry-app-.*-runner\\.jar");
        assertThat(Files.isDirectory(home.resolve("lib"))).isTrue();
    }

    private ApicurioRegistry registry() {
        return new ApicurioRegistry(
                dir.resolve("home"),
                dir.resolve("registry"),
                dir.resolve("registry.log"),
                0,
                "127.0.0.1:1",
                Duration.ofSeconds(5));
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process;
    }
}
