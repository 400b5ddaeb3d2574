package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.gateway.JobStatusTopology;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 6: the gateway instance that owns a job's status partition crashes (SIGKILL). The other instance keeps a
 * standby replica of the status table, so it answers {@code GET /api/jobs/{id}} of that job with the job's status
 * within the lookup wait, without waiting for the group to notice the crash (its session timeout, 15 s) and a
 * changelog restore.
 */
@ExtendWith(FaultStackExtension.class)
class GatewayFailoverFaultTest {
    private static final Logger log = LoggerFactory.getLogger(GatewayFailoverFaultTest.class);
    /** The gateways' {@code GATEWAY_LOOKUP_WAIT} (its default). */
    private static final Duration LOOKUP_WAIT = Duration.ofSeconds(3);
    /** The HTTP round trip on top of the lookup, on a loaded 2-core machine. */
    private static final Duration ROUND_TRIP = Duration.ofMillis(500);

    @Test
    void theOtherGatewayAnswersForACrashedOneFromItsStandbyReplica(StackEndpoints stack) throws Exception {
        ServiceProcess owner = FaultStackExtension.gateways().get(0);
        String ownerUrl = FaultStackExtension.GATEWAY;
        String survivor = FaultStackExtension.GATEWAY_2;

        // each gateway owns about half of the partitions: a few jobs give one whose status the first one owns
        List<String> submitted = new ArrayList<>();
        Optional<String> owned = Optional.empty();
        while (owned.isEmpty() && submitted.size() < 12) {
            String jobId = FaultTestSupport.submit(
                    ownerUrl, FaultTestSupport.request("Failover lookup " + (submitted.size() + 1), 3));
            submitted.add(jobId);
            FaultTestSupport.awaitCompleted(ownerUrl, jobId, Duration.ofMinutes(2));
            if (ownsStatusOf(ownerUrl, jobId)) {
                owned = Optional.of(jobId);
            }
        }
        assertThat(owned)
                .as("a job whose status %s owns, among %s", owner.name(), submitted)
                .isPresent();
        String jobId = owned.get();
        JsonNode before = FaultTestSupport.job(survivor, jobId);
        assertThat(before.get("status").asText()).isEqualTo("completed");

        ProcessHandle process = owner.handle().orElseThrow();
        owner.kill();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
            double standbyLookupsBefore = standbyLookups(survivor);

            long start = System.nanoTime();
            HttpResponse<String> answer = FaultTestSupport.HTTP.send(
                    HttpRequest.newBuilder(URI.create(survivor + "/api/jobs/" + jobId))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            log.info("job {} looked up on the survivor {} ms after its owner was killed", jobId, took.toMillis());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode after = FaultTestSupport.JSON.readTree(answer.body());
            assertThat(after.get("status").asText()).isEqualTo("completed");
            assertThat(after.get("result")).isEqualTo(before.get("result"));
            assertThat(took).isLessThan(LOOKUP_WAIT.plus(ROUND_TRIP));
            assertThat(standbyLookups(survivor))
                    .as("status lookups the survivor answered from its standby replica")
                    .isGreaterThan(standbyLookupsBefore);
        } finally {
            owner.start(stack);
        }
        // the restarted owner takes its part again and the pipeline takes work through it
        String next = FaultTestSupport.submit(ownerUrl, FaultTestSupport.request("After the gateway came back", 3));
        FaultTestSupport.assertEveryJobFiledOnce(stack, ownerUrl, concat(submitted, next), Duration.ofMinutes(2));
    }

    /** Whether the gateway at {@code url} is the active owner of the job's status now (it answers for it itself). */
    private static boolean ownsStatusOf(String url, String jobId) throws Exception {
        HttpResponse<Void> r = FaultTestSupport.HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(url + "/internal/stores/" + JobStatusTopology.STATUS_STORE + "/" + jobId))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    /** The gateway's count of status lookups it answered from a standby replica (its Prometheus metrics). */
    private static double standbyLookups(String url) throws Exception {
        String metrics = FaultTestSupport.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("gateway_lookups_total{")
                        && l.contains("store=\"" + JobStatusTopology.STATUS_STORE + "\"")
                        && l.contains("where=\"standby\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> concat(List<String> jobIds, String more) {
        List<String> all = new ArrayList<>(jobIds);
        all.add(more);
        return all;
    }
}
