package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job watch on the real stack, with JOB_TIMEOUT at its minimum (10 s). No renderer runs here, so a request
 * stays queued until the test "loses" it: it moves the renderer group's committed offset past the request, as a
 * renderer would that read it and then dropped it.
 */
@ExtendWith(DevStackExtension.class)
class JobWatchStackTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(10);
    private static final String RENDERER_GROUP = QueuePositions.READER_GROUPS.get(Topics.VIDEOS_REQUESTED);

    private static GatewayService gateway;
    private static TestHttp http;
    private static Admin admin;
    private static KafkaConsumer<String, VideoRequested> requests;

    @BeforeAll
    static void start(StackEndpoints stack) {
        gateway = StackGateways.start(stack, "gateway-watch", Map.of("JOB_TIMEOUT", "10s"));
        http = StackGateways.http(gateway);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        admin = Admin.create(a);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        requests = new KafkaConsumer<>(
                c,
                new StringDeserializer(),
                Topics.withRegistry(stack.registryUrl())
                        .requested()
                        .valueSerde()
                        .deserializer());
        List<TopicPartition> partitions = requests.partitionsFor(Topics.VIDEOS_REQUESTED).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        requests.assign(partitions);
        requests.seekToBeginning(partitions);
    }

    @AfterAll
    static void stop() {
        requests.close();
        admin.close();
        gateway.close();
    }

    @Test
    void aLostRequestIsPublishedAgainAndTheJobFailsWhenThatIsLostToo() throws Exception {
        String jobId =
                TestHttp.json(http.postJson("/api/generate", """
                {"tweetBody":"Lost on purpose","profileName":"Ada","username":"ada"}""")).get("jobId").asText();
        List<ConsumerRecord<String, VideoRequested>> published = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> readRequestsOf(jobId, published) == 1);
        ConsumerRecord<String, VideoRequested> original = published.get(0);

        // queued (nobody has read it) for longer than JOB_TIMEOUT: left alone
        await().during(JOB_TIMEOUT.plusSeconds(4))
                .atMost(JOB_TIMEOUT.plusSeconds(10))
                .until(() -> readRequestsOf(jobId, published) == 1
                        && "pending".equals(job(jobId).get("status").asText()));

        lose(original);
        await().atMost(JOB_TIMEOUT.plusSeconds(20)).until(() -> readRequestsOf(jobId, published) == 2);
        ConsumerRecord<String, VideoRequested> again = published.get(1);
        assertThat(again.partition()).isEqualTo(original.partition());
        assertThat(again.offset()).isGreaterThan(original.offset());
        assertThat(again.value()).isEqualTo(original.value());
        assertThat(job(jobId).get("status").asText())
                .as("re-driven, not failed")
                .isEqualTo("pending");
        assertThat(counter("tweetreel_jobs_redriven_total")).isPositive();

        lose(again);
        await().atMost(JOB_TIMEOUT.multipliedBy(2).plusSeconds(20)).untilAsserted(() -> {
            JsonNode job = job(jobId);
            assertThat(job.get("status").asText()).isEqualTo("failed");
            assertThat(job.get("error").get("code").asText()).isEqualTo("JOB_TIMED_OUT");
            assertThat(job.get("error").get("step").asText()).isEqualTo("queued");
            assertThat(job.get("error").get("message").asText()).startsWith("no progress for 10s at queued");
        });
        assertThat(counter("tweetreel_jobs_timed_out_total")).isPositive();
        assertThat(readRequestsOf(jobId, published)).as("re-driven once").isEqualTo(2);
    }

    /** What a renderer does that reads a request and drops it: commit past it, produce nothing. */
    private static void lose(ConsumerRecord<String, VideoRequested> record) throws Exception {
        admin.alterConsumerGroupOffsets(
                        RENDERER_GROUP,
                        Map.of(
                                new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1)))
                .all()
                .get();
    }

    private static int readRequestsOf(String jobId, List<ConsumerRecord<String, VideoRequested>> seen) {
        for (ConsumerRecord<String, VideoRequested> record : requests.poll(Duration.ofMillis(200))) {
            if (jobId.equals(record.key())) {
                seen.add(record);
            }
        }
        return seen.size();
    }

    private static JsonNode job(String jobId) {
        return TestHttp.json(http.get("/api/jobs/" + UUID.fromString(jobId)));
    }

    private static double counter(String name) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*\\} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(TestHttp.text(http.get("/metrics")));
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
