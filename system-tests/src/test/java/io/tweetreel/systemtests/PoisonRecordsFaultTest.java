package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoRequested;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 4: poison records on every input topic. Each unreadable record (garbage bytes, a schema id the registry
 * does not know) ends on the dead-letter topic with the exception in its headers; each readable record with
 * invalid values fails its job with a reason; and a normal job submitted afterwards still completes.
 */
@ExtendWith(FaultStackExtension.class)
class PoisonRecordsFaultTest {
    private static final List<String> INPUT_TOPICS =
            List.of(Topics.VIDEOS_REQUESTED, Topics.VIDEOS_SCREENSHOT, Topics.VIDEOS_COMPOSED);
    /**
     * Read besides by every stage (cancellations, in a global store) or by the gateway (batches): an unreadable
     * record there is logged and skipped, not dead-lettered (the stages' inputs are what the dead-letter topic is
     * for); what counts is that everything goes on.
     */
    private static final List<String> SIDE_TOPICS =
            List.of(Topics.VIDEOS_CANCELLATIONS, Topics.VIDEOS_BATCHES, Topics.VIDEOS_BATCH_QUEUE);

    /** Dead letters as they arrive, by the original record's key. */
    private final Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new ConcurrentHashMap<>();

    @Test
    void poisonOnEveryInputTopicIsDeadLetteredOrFailedAndLaterJobsStillComplete(StackEndpoints stack) throws Exception {
        String gateway = FaultStackExtension.GATEWAY;
        Random random = new Random(4L);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = startDeadLetterReader(stack.bootstrapServers(), running);
        try (PipelineProbe probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl())) {
            // unreadable records: garbage bytes and an unknown schema id, on every input topic
            Map<String, String> unreadable = new LinkedHashMap<>();
            for (String topic : INPUT_TOPICS) {
                String garbageKey = UUID.randomUUID().toString();
                byte[] garbage = new byte[64 + random.nextInt(64)];
                random.nextBytes(garbage);
                garbage[0] = (byte) (0x80 | garbage[0]); // not even a wire-format magic byte
                probe.publishRaw(topic, garbageKey.getBytes(StandardCharsets.UTF_8), garbage);
                unreadable.put(garbageKey, topic + " garbage bytes");

                String unknownIdKey = UUID.randomUUID().toString();
                byte[] junk = new byte[24];
                random.nextBytes(junk);
                byte[] unknownId = ByteBuffer.allocate(1 + 4 + junk.length)
                        .put((byte) 0)
                        .putInt(999_999)
                        .put(junk)
                        .array();
                probe.publishRaw(topic, unknownIdKey.getBytes(StandardCharsets.UTF_8), unknownId);
                unreadable.put(unknownIdKey, topic + " unknown schema id 999999");
            }

            for (String topic : SIDE_TOPICS) {
                byte[] garbage = new byte[64 + random.nextInt(64)];
                random.nextBytes(garbage);
                garbage[0] = (byte) (0x80 | garbage[0]);
                probe.publishRaw(topic, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), garbage);
            }

            // readable records whose values are invalid
            String badUsername = UUID.randomUUID().toString();
            probe.publish(
                    probe.topics().requested(),
                    badUsername,
                    VideoRequested.newBuilder()
                            .setTweetBody("A request with an invalid handle")
                            .setProfileName("Poison")
                            .setUsername("not valid!")
                            .setTheme(Theme.dark)
                            .setDurationSeconds(3)
                            .build());
            String missingCard = UUID.randomUUID().toString();
            probe.publish(
                    probe.topics().screenshot(),
                    missingCard,
                    ScreenshotReady.newBuilder()
                            .setScreenshotKey(ObjectLayout.cardKey(missingCard))
                            .setWidth(1080)
                            .setHeight(1920)
                            .setDurationSeconds(3)
                            .setRenderedAt(Instant.now())
                            .build());
            String missingVideo = UUID.randomUUID().toString();
            probe.publish(
                    probe.topics().composed(),
                    missingVideo,
                    VideoComposed.newBuilder()
                            .setVideoKey(ObjectLayout.videoKey(missingVideo))
                            .setDurationSeconds(3.0)
                            .setFileSize(123_456L)
                            .setWidth(1080)
                            .setHeight(1920)
                            .setComposedAt(Instant.now())
                            .build());

            // every unreadable record is on the dead-letter topic, with the exception in its headers
            await().alias("unreadable records dead-lettered")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(deadLetters.keySet())
                            .as("dead-lettered keys of %s", unreadable)
                            .containsAll(unreadable.keySet()));
            for (String key : unreadable.keySet()) {
                ConsumerRecord<byte[], byte[]> dead = deadLetters.get(key);
                List<String> headerKeys = new ArrayList<>();
                for (Header h : dead.headers()) {
                    headerKeys.add(h.key());
                }
                assertThat(headerKeys)
                        .as("headers of the dead letter of %s", unreadable.get(key))
                        .anyMatch(k -> k.toLowerCase().contains("exception"));
            }

            // a request with an invalid handle fails the job with INVALID_REQUEST and says why
            JsonNode invalid = FaultTestSupport.awaitFinal(gateway, badUsername, Duration.ofMinutes(3));
            assertThat(invalid.get("status").asText()).as(invalid.toString()).isEqualTo("failed");
            assertThat(invalid.at("/error/code").asText())
                    .as(invalid.toString())
                    .isEqualTo("INVALID_REQUEST");
            assertThat(invalid.at("/error/message").asText()).isNotBlank();

            // a screenshot event pointing at a missing card fails the job with COMPOSE_FAILED
            JsonNode noCard = FaultTestSupport.awaitFinal(gateway, missingCard, Duration.ofMinutes(4));
            assertThat(noCard.get("status").asText()).as(noCard.toString()).isEqualTo("failed");
            assertThat(noCard.at("/error/code").asText()).as(noCard.toString()).isEqualTo("COMPOSE_FAILED");
            assertThat(noCard.at("/error/message").asText()).isNotBlank();

            // a composed event pointing at a missing video: dead-lettered, or failed with a reason
            await().alias("missing video dead-lettered or failed")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        if (deadLetters.containsKey(missingVideo)) {
                            return true;
                        }
                        JsonNode j = FaultTestSupport.job(gateway, missingVideo);
                        return j != null
                                && j.get("status").asText().equals("failed")
                                && !j.at("/error/code").asText().isBlank()
                                && !j.at("/error/message").asText().isBlank();
                    });
            // and it was never turned into a result
            JsonNode noVideo = FaultTestSupport.job(gateway, missingVideo);
            if (noVideo != null) {
                assertThat(noVideo.get("status").asText())
                        .as(noVideo.toString())
                        .isNotEqualTo("completed");
            }
        } finally {
            running.set(false);
            reader.join(10_000);
        }

        // the stages carried on: a normal job completes
        String jobId = FaultTestSupport.submit(gateway, FaultTestSupport.request("After the poison, a normal job", 3));
        JsonNode done = FaultTestSupport.awaitCompleted(gateway, jobId, Duration.ofMinutes(4));
        assertThat(done.at("/result/duration").asDouble()).isBetween(2.9, 3.1);

        // and cancels still travel: the gateway's table and the stages' global stores read on past the garbage
        String canceled = FaultTestSupport.submit(gateway, FaultTestSupport.request("After the poison, canceled", 30));
        var answer = FaultTestSupport.HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/api/jobs/" + canceled + "/cancel"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode stopped = FaultTestSupport.awaitFinal(gateway, canceled, Duration.ofMinutes(1));
        assertThat(stopped.get("status").asText()).as(stopped.toString()).isEqualTo("canceled");
    }

    private Thread startDeadLetterReader(String bootstrapServers, AtomicBoolean running) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "poison-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.VIDEOS_DEAD_LETTER));
        Thread t = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                                if (r.key() != null) {
                                    deadLetters.put(new String(r.key(), StandardCharsets.UTF_8), r);
                                }
                            }
                        }
                    }
                },
                "dead-letter-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
