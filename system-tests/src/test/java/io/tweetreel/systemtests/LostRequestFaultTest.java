package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 6: a request is lost. With the renderer stopped, a job is submitted, and the renderer group's committed
 * offset is moved past its request, as if a renderer had read it and dropped it. The renderer comes back and skips
 * it; the gateway notices the job does not move for JOB_TIMEOUT ({@value FaultStackExtension#JOB_TIMEOUT} in this
 * stack), publishes the request again, and the job completes.
 */
@ExtendWith(FaultStackExtension.class)
class LostRequestFaultTest {
    private static final String RENDERER_GROUP = "tweetreel-renderer";

    @Test
    void aRequestLostOnItsWayToTheRendererIsRedrivenAndTheJobCompletes(StackEndpoints stack) throws Exception {
        String gateway = FaultStackExtension.GATEWAY;
        ServiceProcess renderer = FaultStackExtension.renderer();
        renderer.stop();
        String jobId;
        try (Admin admin = admin(stack)) {
            jobId = FaultTestSupport.submit(gateway, FaultTestSupport.request("Lost on its way to the renderer", 3));
            await().alias("job " + jobId + " pending")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> "pending"
                            .equals(FaultTestSupport.job(gateway, jobId)
                                    .get("status")
                                    .asText()));
            ConsumerRecord<String, byte[]> request = requestOf(stack, jobId);
            // the stopped renderer stays a member of its group until its session times out (15 s)
            await().alias("renderer group committed past the request")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> {
                        admin.alterConsumerGroupOffsets(
                                        RENDERER_GROUP,
                                        Map.of(
                                                new TopicPartition(request.topic(), request.partition()),
                                                new OffsetAndMetadata(request.offset() + 1)))
                                .all()
                                .get();
                        return true;
                    });
        } finally {
            renderer.start(stack);
        }

        JsonNode done = FaultTestSupport.awaitCompleted(gateway, jobId, Duration.ofMinutes(2));
        assertThat(done.at("/result/duration").asDouble()).isBetween(2.9, 3.1);
        // the gateway that owns the job's partition of the status table watches it; either one may
        assertThat(redriven(FaultStackExtension.GATEWAY) + redriven(FaultStackExtension.GATEWAY_2))
                .as("tweetreel_jobs_redriven_total{step=queued} of both gateways")
                .isPositive();
        FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, List.of(jobId), Duration.ofSeconds(30));
    }

    private static Admin admin(StackEndpoints stack) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return Admin.create(p);
    }

    /** The job's request on videos.requested, as the gateway published it (read committed). */
    private static ConsumerRecord<String, byte[]> requestOf(StackEndpoints stack, String jobId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.VIDEOS_REQUESTED).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AtomicReference<ConsumerRecord<String, byte[]>> found = new AtomicReference<>();
            await().alias("request of " + jobId).atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(r.key())) {
                        found.set(r);
                    }
                }
                return found.get() != null;
            });
            return found.get();
        }
    }

    private static double redriven(String gateway) throws Exception {
        String metrics = FaultTestSupport.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create(gateway + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile(
                        "^tweetreel_jobs_redriven_total\\{[^}]*step=\"queued\"[^}]*\\} ([0-9.eE+-]+)$",
                        Pattern.MULTILINE)
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
