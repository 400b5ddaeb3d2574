package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.StoredObject;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ObjectLayout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Shared by the fault tests: submit jobs to the gateway, look them up, wait for their end, and check that
 * nothing was lost.
 */
final class FaultTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FaultTestSupport() {}

    static Map<String, Object> request(String body, int seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tweetBody", body);
        r.put("profileName", "Fault Tester");
        r.put("username", "@fault_tester");
        r.put("theme", "dark");
        r.put("durationSeconds", seconds);
        return r;
    }

    /**
     * Submits as a client should: a 503 ("try again shortly", e.g. while a restarted broker's transaction
     * coordinator loads) is retried after its {@code Retry-After} for up to {@link #SUBMIT_PATIENCE}; any other
     * answer than 202 fails the test.
     */
    static String submit(String gateway, Map<String, Object> request) throws Exception {
        long deadline = System.nanoTime() + SUBMIT_PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/api/generate"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503 && System.nanoTime() < deadline) {
                long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(1, Math.min(seconds, 5)) * 1000); // the server's own back-off, capped
                continue;
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            return JSON.readTree(r.body()).get("jobId").asText();
        }
    }

    /** How long {@link #submit} keeps retrying 503s: longer than a broker restart and its coordinator load. */
    static final Duration SUBMIT_PATIENCE = Duration.ofSeconds(60);

    /** The job as the gateway shows it, or null while it does not know it yet (404). */
    static JsonNode job(String gateway, String jobId) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/jobs/" + jobId))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Waits until the job is final (completed, failed or canceled) and returns its last view. */
    static JsonNode awaitFinal(String gateway, String jobId, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().alias("final status of " + jobId)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    JsonNode j = job(gateway, jobId);
                    last.set(j);
                    if (j == null) {
                        return false;
                    }
                    String s = j.get("status").asText();
                    return s.equals("completed") || s.equals("failed") || s.equals("canceled");
                });
        return last.get();
    }

    static JsonNode awaitCompleted(String gateway, String jobId, Duration timeout) {
        JsonNode done = awaitFinal(gateway, jobId, timeout);
        assertThat(done.get("status").asText()).as("job %s: %s", jobId, done).isEqualTo("completed");
        return done;
    }

    /** Submits {@code count} short jobs at once, so they are all in flight together; returns their ids. */
    static List<String> submitMany(String gateway, int count, String label) throws Exception {
        List<String> jobIds = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            jobIds.add(submit(gateway, request(label + " — job " + i + " of " + count, 3 + i % 3)));
        }
        return jobIds;
    }

    /** Stopping or starting a part of the stack. */
    interface StackAction {
        void run() throws Exception;
    }

    /**
     * Waits until jobs are mid-run (a composer encoding, so others are queued around it), takes a part of the
     * stack away for {@code outage} (a fixed time: the fault itself, whatever the services do meanwhile) and
     * brings it back.
     */
    static void outageMidRun(Duration outage, StackAction stop, StackAction start) throws Exception {
        await().alias("a composer encoding")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> FaultStackExtension.encodingComposer().isPresent());
        stop.run();
        try {
            Thread.sleep(outage.toMillis());
        } finally {
            start.run();
        }
    }

    /**
     * Nothing lost: every job completes (within {@code timeout} for all of them), is filed exactly once in the
     * videos bucket (its reel, with the size its result reports, the reel's poster and its two caption files; counted
     * by the objects'
     * {@code job-id} metadata, so a second copy under another name would show), and nothing of it is left in the
     * work bucket but a late upload by a fenced attempt.
     */
    static void assertEveryJobFiledOnce(StackEndpoints stack, String gateway, List<String> jobIds, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (String jobId : jobIds) {
            Duration left = Duration.between(Instant.now(), deadline);
            try {
                JsonNode done = awaitCompleted(gateway, jobId, left.isNegative() ? Duration.ofSeconds(1) : left);
                assertThat(done.get("progress").asInt()).isEqualTo(100);
                results.put(jobId, done.get("result"));
            } catch (AssertionError | ConditionTimeoutException e) {
                List<String> unfinished = jobIds.subList(jobIds.indexOf(jobId), jobIds.size());
                throw new AssertionError(
                        e.getMessage() + FaultDiagnostics.describe(stack, FaultStackExtension.services(), unfinished),
                        e);
            }
        }

        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(stack.asEnvironment()));
        ObjectStore store = new MinioObjectStore(objects);
        Map<String, List<StoredObject>> filedByJob = filedVideosByJob(stack);
        for (Map.Entry<String, JsonNode> job : results.entrySet()) {
            List<StoredObject> filed = filedByJob.getOrDefault(job.getKey(), List.of());
            String filename = job.getValue().get("filename").asText();
            assertThat(filed)
                    .as("objects filed for job %s: its reel, its poster and its captions, once", job.getKey())
                    .extracting(StoredObject::key)
                    .containsExactlyInAnyOrderElementsOf(filesOfReel(filename));
            assertThat(filed)
                    .filteredOn(o -> o.key().equals(filename))
                    .singleElement()
                    .extracting(StoredObject::size)
                    .isEqualTo(job.getValue().get("fileSize").asLong());
            // Filing deletes the job's work objects. A stage instance that lost its partition to a restart may
            // still finish the attempt it had in hand and upload after that (its transaction is fenced, nothing
            // reads those files; the storage sweeper deletes them after a day): such a late copy is newer than the
            // filed reel. Anything older is a work object filing should have deleted.
            Instant filedAt = filed.stream()
                    .filter(o -> o.key().equals(filename))
                    .findFirst()
                    .map(StoredObject::lastModified)
                    .orElseThrow()
                    .truncatedTo(ChronoUnit.SECONDS);
            assertThat(store.list(objects.workBucket(), ObjectLayout.jobPrefix(job.getKey())))
                    .as("work objects left for job %s (filed at %s)", job.getKey(), filedAt)
                    .allSatisfy(left -> assertThat(left.lastModified()).isAfterOrEqualTo(filedAt));
        }
    }

    /** The names a filed reel comes with in the videos bucket: itself, its JPEG poster, its WebVTT and SRT captions. */
    static List<String> filesOfReel(String reelFilename) {
        return List.of(
                reelFilename,
                ObjectLayout.posterFilename(reelFilename),
                ObjectLayout.captionFilename(reelFilename, "vtt"),
                ObjectLayout.captionFilename(reelFilename, "srt"));
    }

    /**
     * Every object in the videos bucket (reels with their posters and captions), grouped by its {@code job-id}
     * metadata: what a job really filed, under whatever name.
     */
    static Map<String, List<StoredObject>> filedVideosByJob(StackEndpoints stack) {
        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(stack.asEnvironment()));
        ObjectStore store = new MinioObjectStore(objects);
        Map<String, List<StoredObject>> filedByJob = new HashMap<>();
        for (StoredObject listed : store.list(objects.videosBucket(), "")) {
            store.stat(objects.videosBucket(), listed.key())
                    .ifPresent(filed -> filedByJob
                            .computeIfAbsent(
                                    filed.metadata().getOrDefault(ObjectLayout.JOB_ID, ""), k -> new ArrayList<>())
                            .add(filed));
        }
        return filedByJob;
    }

    /** The job's objects left in the work bucket. */
    static List<StoredObject> workObjects(StackEndpoints stack, String jobId) {
        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(stack.asEnvironment()));
        return new MinioObjectStore(objects).list(objects.workBucket(), ObjectLayout.jobPrefix(jobId));
    }

    /** The per-job directories in a service's work directory (none when it does not exist). */
    static List<Path> jobDirectories(StackEndpoints stack, ServiceProcess service) throws IOException {
        Path workDir =
                stack.stateDir().resolve("services").resolve(service.name()).resolve("work");
        if (!Files.isDirectory(workDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(workDir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }
}
