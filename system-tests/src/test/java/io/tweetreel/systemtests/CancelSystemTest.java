package io.tweetreel.systemtests;

import static io.tweetreel.systemtests.FaultTestSupport.HTTP;
import static io.tweetreel.systemtests.FaultTestSupport.JSON;
import static io.tweetreel.systemtests.FaultTestSupport.awaitFinal;
import static io.tweetreel.systemtests.FaultTestSupport.filedVideosByJob;
import static io.tweetreel.systemtests.FaultTestSupport.filesOfReel;
import static io.tweetreel.systemtests.FaultTestSupport.job;
import static io.tweetreel.systemtests.FaultTestSupport.request;
import static io.tweetreel.systemtests.FaultTestSupport.submit;
import static io.tweetreel.systemtests.FaultTestSupport.workObjects;
import static io.tweetreel.systemtests.PipelineStackExtension.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.StoredObject;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel on the real stack, as the "done when" states it: a long reel stopped mid-encode, a queued job
 * that never reaches the renderer, and cancels racing the filing of the video.
 */
@ExtendWith(PipelineStackExtension.class)
class CancelSystemTest {
    private static final Logger log = LoggerFactory.getLogger(CancelSystemTest.class);
    private static PipelineProbe probe;

    @BeforeAll
    static void watchStatuses(StackEndpoints stack) {
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().status());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (probe != null) {
            probe.close();
        }
    }

    @Test
    void aThirtySecondReelCanceledWhileComposingIsCanceledWithinTwoSecondsWithNoFfmpegAndNoVideo(StackEndpoints stack)
            throws Exception {
        String jobId = submit(GATEWAY, request("A long reel that nobody will watch to the end", 30));
        await("the composer encoding " + jobId)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ffmpegRunning() && "composing_video".equals(currentStep(jobId)));

        long askedAt = System.nanoTime();
        HttpResponse<String> answer = cancel(jobId);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode canceled = await("canceled status")
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> job(GATEWAY, jobId),
                        j -> "canceled".equals(j.get("status").asText()));
        await("no ffmpeg left")
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !ffmpegRunning());
        log.info("canceled mid-encode: status and no ffmpeg after {} ms", (System.nanoTime() - askedAt) / 1_000_000);

        assertThat(canceled.get("currentStep").asText()).isEqualTo("composing_video");
        assertThat(canceled.has("result") && !canceled.get("result").isNull()).isFalse();
        assertThat(cancel(jobId).statusCode())
                .as("a repeated cancel is harmless")
                .isEqualTo(202);
        await("its work objects deleted")
                .atMost(Duration.ofSeconds(10))
                .until(() -> workObjects(stack, jobId).isEmpty());
        assertThat(filedVideosByJob(stack).get(jobId)).as("videos filed").isNull();
    }

    @Test
    void aQueuedJobCanceledIsNeverRendered(StackEndpoints stack) throws Exception {
        // a backlog ahead of it at the renderer, so it is still queued when the cancel comes
        List<String> backlog = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            backlog.add(submit(GATEWAY, request("Backlog " + i + " ahead of the job that will be canceled", 3)));
        }
        String jobId = submit(GATEWAY, request("Queued, then canceled before any stage took it", 3));
        HttpResponse<String> answer = cancel(jobId);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

        JsonNode done = awaitFinal(GATEWAY, jobId, Duration.ofSeconds(10));
        assertThat(done.get("status").asText()).isEqualTo("canceled");
        assertThat(done.get("currentStep").asText()).isEqualTo("queued");

        // the backlog canceled too; by the time all of it is final, a start of the canceled job (had the renderer
        // taken it before its cancel) would long be on the status topic
        for (String other : backlog) {
            assertThat(cancel(other).statusCode()).isIn(202, 409);
        }
        for (String other : backlog) {
            awaitFinal(GATEWAY, other, Duration.ofMinutes(3));
        }
        assertThat(probe.seen(probe.topics().status(), jobId))
                .as("statuses of the canceled job")
                .extracting(JobStatus::getCurrentStep)
                .containsOnly(JobStep.queued);
        assertThat(workObjects(stack, jobId)).isEmpty();
        assertThat(filedVideosByJob(stack).get(jobId)).isNull();
    }

    /** Enough races that both outcomes show up in a run (about half each), few enough to keep CI short. */
    private static final int RACES = 10;

    @Test
    void aCancelRacingTheFilingEndsInOneStateThatTheBucketAgreesWith(StackEndpoints stack) throws Exception {
        int canceled = 0;
        int completed = 0;
        for (int i = 1; i <= RACES; i++) {
            String jobId = submit(GATEWAY, request("Race " + i + ": cancel while the video is filed", 3));
            awaitStep(jobId, "saving_file");
            int code = cancel(jobId).statusCode();
            JsonNode done = awaitFinal(GATEWAY, jobId, Duration.ofMinutes(1));
            String status = done.get("status").asText();
            if (status.equals("canceled")) {
                canceled++;
                assertThat(code).isEqualTo(202);
                await("no video kept for canceled job " + jobId)
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> filedVideosByJob(stack).get(jobId) == null);
            } else {
                completed++;
                assertThat(status).as("job %s: %s", jobId, done).isEqualTo("completed");
                assertThat(code).as("cancel of job %s that completed", jobId).isEqualTo(409);
                assertThat(filedVideosByJob(stack).get(jobId))
                        .as("the completed job's reel, poster and captions")
                        .extracting(StoredObject::key)
                        .containsExactlyInAnyOrderElementsOf(
                                filesOfReel(done.at("/result/filename").asText()));
                assertThat(cancel(jobId).statusCode()).isEqualTo(409);
            }
            assertThat(job(GATEWAY, jobId).get("status").asText())
                    .as("the state stays")
                    .isEqualTo(status);
        }
        log.info("cancel at the moment of filing, {} times: {} canceled, {} completed", RACES, canceled, completed);
    }

    private static HttpResponse<String> cancel(String jobId) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + "/api/jobs/" + jobId + "/cancel"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String currentStep(String jobId) throws Exception {
        JsonNode j = job(GATEWAY, jobId);
        return j == null ? null : j.get("currentStep").asText();
    }

    /** Follows the job's event stream and returns as soon as it reports {@code step} (or is final). */
    private static void awaitStep(String jobId, String step) throws Exception {
        HttpResponse<InputStream> events = HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + "/api/jobs/" + jobId + "/events"))
                        .timeout(Duration.ofMinutes(1))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    Map<?, ?> view = JSON.readValue(line.substring(5).trim(), Map.class);
                    if (step.equals(view.get("currentStep"))
                            || !"processing".equals(view.get("status")) && !"pending".equals(view.get("status"))) {
                        return;
                    }
                }
            }
        }
    }

    private static boolean ffmpegRunning() {
        return PipelineStackExtension.composer()
                .handle()
                .map(h -> h.descendants()
                        .anyMatch(p -> p.info()
                                .command()
                                .map(c -> c.endsWith("/ffmpeg"))
                                .orElse(false)))
                .orElse(false);
    }
}
