package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.WebhookEvents;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway on the real stack: Kafka (KRaft), the schema registry and S3. */
@ExtendWith(DevStackExtension.class)
class GatewayStackTest {
    private static final String VALID = """
            {"tweetBody":"Hello from the stack","profileName":"Ada","username":"ada"}""";
    private static GatewayService gateway;
    private static TestHttp http;
    private static StackGateways.StatusWriter statuses;

    @BeforeAll
    static void start(StackEndpoints stack) {
        gateway = StackGateways.start(stack, "gateway-a");
        http = StackGateways.http(gateway);
        statuses = new StackGateways.StatusWriter(stack);
    }

    @AfterAll
    static void stop() {
        statuses.close();
        gateway.close();
    }

    @Test
    void aJobIsPendingRightAfterItIsAccepted() {
        HttpResponse<byte[]> accepted = http.postJson("/api/generate", VALID);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = TestHttp.json(accepted).get("jobId").asText();

        HttpResponse<byte[]> first = http.get("/api/jobs/" + jobId);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(first).get("status").asText()).isEqualTo("pending");

        // and from the table itself once it has read the transaction
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<byte[]> fromTable = http.get("/api/jobs/" + jobId);
            assertThat(TestHttp.json(fromTable).get("status").asText()).isEqualTo("pending");
            assertThat(lookups(http, "local")).isPositive();
        });
    }

    @Test
    void statusesWrittenToTheTopicShowUpThroughGetAndEvents() throws Exception {
        String jobId = TestHttp.json(http.postJson("/api/generate", VALID))
                .get("jobId")
                .asText();
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> stream = http.client
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(http.base + "/api/jobs/" + jobId + "/events"))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() ->
                stream.body().filter(line -> line.startsWith("data: ")).forEach(line -> events.add(line.substring(6))));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 1);

        Instant now = Instant.now();
        statuses.write(jobId, JobStatuses.started(JobStep.generating_screenshot, now.plusMillis(1)));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(TestHttp.json(http.get("/api/jobs/" + jobId))
                                .get("currentStep")
                                .asText())
                        .isEqualTo("generating_screenshot"));
        statuses.write(jobId, JobStatuses.started(JobStep.composing_video, now.plusMillis(2)));
        statuses.write(jobId, JobStatuses.started(JobStep.generating_screenshot, now.plusMillis(1))); // duplicate
        statuses.write(jobId, JobStatuses.started(JobStep.saving_file, now.plusMillis(3)));
        statuses.write(jobId, completedStatus("2026-11-28_" + "ab".repeat(16) + ".mp4", now.plusMillis(4)));

        reading.get(30, TimeUnit.SECONDS); // the stream ends by itself after completed
        List<String> steps = new ArrayList<>();
        for (String event : events) {
            steps.add(Json.MAPPER.readTree(event).get("currentStep").asText());
        }
        assertThat(steps).first().isEqualTo("queued");
        assertThat(steps).last().isEqualTo("completed");
        assertThat(steps)
                .isSubsetOf("queued", "generating_screenshot", "composing_video", "saving_file", "completed")
                .doesNotHaveDuplicates();
        // the table may be a moment behind the live feed
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode done = TestHttp.json(http.get("/api/jobs/" + jobId));
            assertThat(done.get("status").asText()).isEqualTo("completed");
            assertThat(done.get("result").get("fileSize").asLong()).isEqualTo(1000);
        });
    }

    @Test
    void metadataDeliveriesAndRedeliveryOnTheRealTopics(StackEndpoints stack) {
        String body = """
                {"tweetBody":"Hello","profileName":"Ada","username":"ada",
                 "webhookUrl":"https://hooks.example.com/reels","metadata":{"orderId":"A-1042","team":"growth"}}""";
        String jobId =
                TestHttp.json(http.postJson("/api/generate", body)).get("jobId").asText();
        Topics topics = Topics.withRegistry(stack.registryUrl());

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(TestHttp.json(http.get("/api/jobs/" + jobId))
                                .get("metadata")
                                .toString())
                        .isEqualTo("{\"orderId\":\"A-1042\",\"team\":\"growth\"}"));
        assertThat(http.send("POST", "/api/jobs/" + jobId + "/deliveries/redeliver", Map.of(), null)
                        .statusCode())
                .as("not final yet")
                .isEqualTo(409);

        Instant now = Instant.now();
        statuses.write(jobId, completedStatus("2026-11-28_" + "cd".repeat(16) + ".mp4", now));
        String webhookId = WebhookEvents.webhookId(jobId, "job.completed");
        try (KafkaProducer<String, WebhookDelivery> producer = new KafkaProducer<>(
                producerProps(stack),
                new StringSerializer(),
                topics.webhookDeliveries().valueSerde().serializer())) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                WebhookDelivery delivery = WebhookDelivery.newBuilder()
                        .setWebhookId(webhookId)
                        .setJobId(jobId)
                        .setEvent("job.completed")
                        .setAttempt(attempt)
                        .setAt(now.plusSeconds(attempt))
                        .setDurationMs(7)
                        .setUrl("https://hooks.example.com/reels")
                        .setOutcome(attempt == 1 ? WebhookOutcome.retrying : WebhookOutcome.delivered)
                        .setStatusCode(attempt == 1 ? 503 : 200)
                        .setError(attempt == 1 ? "HTTP 503" : null)
                        .setNextAttemptAt(attempt == 1 ? now.plusSeconds(6) : null)
                        .build();
                producer.send(new ProducerRecord<>(Topics.VIDEOS_WEBHOOK_DELIVERIES, jobId, delivery));
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode deliveries = TestHttp.json(http.get("/api/jobs/" + jobId + "/deliveries"))
                    .get("deliveries");
            assertThat(deliveries).hasSize(2);
            assertThat(deliveries.get(0).get("attempt").asInt()).isEqualTo(1);
            assertThat(deliveries.get(0).get("statusCode").asInt()).isEqualTo(503);
            assertThat(deliveries.get(1).get("outcome").asText()).isEqualTo("delivered");
            assertThat(deliveries.get(1).get("error").isNull()).isTrue();
        });

        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestHttp.json(http.get("/api/jobs/" + jobId))
                        .get("status")
                        .asText()
                        .equals("completed"));
        HttpResponse<byte[]> redelivered =
                http.send("POST", "/api/jobs/" + jobId + "/deliveries/redeliver", Map.of(), null);
        assertThat(redelivered.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(redelivered).get("webhookId").asText()).isEqualTo(webhookId);
        assertThat(commandsFor(stack, topics, jobId))
                .singleElement()
                .satisfies(c -> assertThat(c.getAction()).isEqualTo(WebhookAction.redeliver));
    }

    private static Properties producerProps(StackEndpoints stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Every command on videos.webhook-commands for the job, read from the beginning. */
    private static List<WebhookCommand> commandsFor(StackEndpoints stack, Topics topics, String jobId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-commands-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<WebhookCommand> found = new ArrayList<>();
        try (KafkaConsumer<String, WebhookCommand> consumer = new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                topics.webhookCommands().valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.VIDEOS_WEBHOOK_COMMANDS));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (jobId.equals(r.key())) {
                        found.add(r.value());
                    }
                });
                return !found.isEmpty();
            });
            // anything else already written for the job arrives with this poll
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (jobId.equals(r.key())) {
                    found.add(r.value());
                }
            });
        }
        return found;
    }

    static JobStatus completedStatus(String filename, Instant at) {
        return JobStatus.newBuilder()
                .setStatus(JobState.completed)
                .setProgress(100)
                .setCurrentStep(JobStep.completed)
                .setUpdatedAt(at)
                .setJobResult(JobResult.newBuilder()
                        .setFilename(filename)
                        .setDownloadUrl("http://127.0.0.1:3000/download/" + filename)
                        .setExpiresAt(at.plus(Duration.ofHours(24)))
                        .setFileSize(1000)
                        .setDuration(5.0)
                        .setResolution("1080x1920")
                        .build())
                .build();
    }

    @Test
    void twoInstancesBothAnswerEveryJobOneLocallyOneByForwarding(StackEndpoints stack) {
        GatewayService second = StackGateways.start(stack, "gateway-b");
        try {
            TestHttp secondHttp = StackGateways.http(second);
            // both own part of the table once the group has settled
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> owned(gateway) > 0
                            && owned(second) > 0
                            && gateway.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                            && second.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);

            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String jobId = UUID.randomUUID().toString();
                statuses.write(jobId, JobStatuses.started(JobStep.composing_video, Instant.now()));
                jobs.add(jobId);
            }
            double aForwardedBefore = lookups(http, "forwarded");
            double bForwardedBefore = lookups(secondHttp, "forwarded");
            for (String jobId : jobs) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<byte[]> fromA = http.get("/api/jobs/" + jobId);
                    HttpResponse<byte[]> fromB = secondHttp.get("/api/jobs/" + jobId);
                    assertThat(fromA.statusCode()).isEqualTo(200);
                    assertThat(fromB.statusCode()).isEqualTo(200);
                    assertThat(TestHttp.text(fromA))
                            .isEqualTo(TestHttp.text(fromB))
                            .contains("composing_video");
                });
            }
            assertThat(lookups(http, "forwarded")).isGreaterThan(aForwardedBefore);
            assertThat(lookups(secondHttp, "forwarded")).isGreaterThan(bForwardedBefore);

            // an Idempotency-Key used on one instance is known on the other, and so is the request's metadata
            String key = UUID.randomUUID().toString();
            String withMetadata = VALID.replace("}", ",\"metadata\":{\"b\":\"2\",\"a\":\"1\"}}");
            String jobId = TestHttp.json(http.postJson("/api/generate", withMetadata, key))
                    .get("jobId")
                    .asText();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                // until the other instance's tables have the job it answers 404 (or 503 while rebalancing)
                HttpResponse<byte[]> fromB = secondHttp.get("/api/jobs/" + jobId);
                assertThat(fromB.statusCode()).as(TestHttp.text(fromB)).isEqualTo(200);
                assertThat(TestHttp.json(fromB).get("metadata")).hasToString("{\"a\":\"1\",\"b\":\"2\"}");
            });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                // the same metadata in another key order is the same request
                HttpResponse<byte[]> replay = secondHttp.postJson(
                        "/api/generate", VALID.replace("}", ",\"metadata\":{\"a\":\"1\",\"b\":\"2\"}}"), key);
                assertThat(replay.statusCode()).isEqualTo(202);
                assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                assertThat(TestHttp.json(replay).get("jobId").asText()).isEqualTo(jobId);
            });
            assertThat(secondHttp
                            .postJson("/api/generate", VALID.replace("Ada", "Grace"), key)
                            .statusCode())
                    .isEqualTo(409);
        } finally {
            second.close();
        }
        // the survivor takes the whole table back and still answers
        await().atMost(Duration.ofSeconds(60)).until(() -> owned(gateway) == 6);
    }

    @Test
    void aCancelThatBeatsTheCompletionLeavesNoFiledVideo(StackEndpoints stack) throws Exception {
        String jobId = TestHttp.json(http.postJson("/api/generate", VALID))
                .get("jobId")
                .asText();
        statuses.write(jobId, JobStatuses.started(JobStep.saving_file, Instant.now()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "saving_file"
                        .equals(TestHttp.json(http.get("/api/jobs/" + jobId))
                                .get("currentStep")
                                .asText()));

        HttpResponse<byte[]> canceled = http.send("POST", "/api/jobs/" + jobId + "/cancel", Map.of(), null);
        assertThat(canceled.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(canceled).get("status").asText()).isEqualTo("canceled");
        assertThat(TestHttp.json(canceled).get("currentStep").asText()).isEqualTo("saving_file");

        // storage filed the video after its last look at the cancellations; its completed comes after canceled
        MinioObjectStore store = StackGateways.objectStore(stack);
        store.ensureBucket("tweetreel-videos");
        String filename = "2026-11-28_" + "7c".repeat(16) + ".mp4";
        Path file = StackGateways.tempFile("filed", ".mp4");
        Files.write(file, new byte[] {0, 0, 0, 24});
        store.put(
                "tweetreel-videos",
                filename,
                file,
                "video/mp4",
                Map.of(
                        ObjectLayout.JOB_ID,
                        jobId,
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().plus(Duration.ofHours(1)).toString()));
        statuses.write(jobId, completedStatus(filename, Instant.now()));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.stat("tweetreel-videos", filename).isEmpty());
        JsonNode job = TestHttp.json(http.get("/api/jobs/" + jobId));
        assertThat(job.get("status").asText()).isEqualTo("canceled");
        assertThat(job.has("result")).isFalse();
        assertThat(http.send("POST", "/api/jobs/" + jobId + "/cancel", Map.of(), null)
                        .statusCode())
                .as("a repeated cancel")
                .isEqualTo(202);
    }

    @Test
    void downloadsFromTheVideosBucketWithRangesAndExpiry(StackEndpoints stack) throws Exception {
        MinioObjectStore store = StackGateways.objectStore(stack);
        store.ensureBucket("tweetreel-videos");
        Path file = StackGateways.tempFile("video", ".mp4");
        byte[] bytes = new byte[300_000];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(file, bytes);
        String name = "2026-11-28_" + "cd".repeat(16) + ".mp4";
        String expired = "2026-11-27_" + "ef".repeat(16) + ".mp4";
        store.put(
                "tweetreel-videos",
                name,
                file,
                "video/mp4",
                Map.of(
                        ObjectLayout.JOB_ID,
                        "j1",
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().plus(Duration.ofHours(1)).toString()));
        store.put(
                "tweetreel-videos",
                expired,
                file,
                "video/mp4",
                Map.of(
                        ObjectLayout.JOB_ID,
                        "j2",
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().minusSeconds(5).toString()));

        HttpResponse<byte[]> whole = http.get("/download/" + name);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(whole.headers().firstValue("Content-Length")).hasValue("300000");

        HttpResponse<byte[]> part = http.get("/download/" + name, Map.of("Range", "bytes=1000-1999"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 2000));
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/300000");

        HttpResponse<byte[]> head = http.send("HEAD", "/download/" + name, Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(head.body()).isEmpty();

        assertThat(http.get("/download/" + name, Map.of("Range", "bytes=300000-"))
                        .statusCode())
                .isEqualTo(416);
        assertThat(http.get("/download/" + name, Map.of("If-None-Match", etag)).statusCode())
                .isEqualTo(304);
        assertThat(http.get("/download/" + expired).statusCode()).isEqualTo(410);
        assertThat(http.get("/download/2026-11-28_" + "00".repeat(16) + ".mp4").statusCode())
                .isEqualTo(404);
    }

    private static int owned(GatewayService service) {
        Object partitions = service.status().get("ownedPartitions");
        Set<String> statusPartitions = new HashSet<>();
        for (Object p : (List<?>) partitions) {
            if (p.toString().startsWith("videos.status-")) {
                statusPartitions.add(p.toString());
            }
        }
        return statusPartitions.size();
    }

    private static final Pattern LOOKUP_METRIC =
            Pattern.compile("^gateway_lookups_total\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    /** Status-store lookups this instance answered the given way ("local" or "forwarded"). */
    static double lookups(TestHttp instance, String where) {
        String metrics = TestHttp.text(instance.get("/metrics"));
        double total = 0;
        Matcher m = LOOKUP_METRIC.matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("where=\"" + where + "\"") && m.group(1).contains("store=\"job-status\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
