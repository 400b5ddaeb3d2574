package io.tweetreel.systemtests;

import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a failing fault test prints, so that a red run says why without the stack still up: each service's
 * {@code /status}, every pipeline partition whose last stable offset is behind its high watermark with its
 * producers' open transactions and what their coordinator says of them, and the status history of the jobs that
 * did not finish, read uncommitted (so updates stuck in an open transaction show too).
 */
final class FaultDiagnostics {
    private FaultDiagnostics() {}

    static String describe(StackEndpoints stack, Collection<ServiceProcess> services, Collection<String> jobIds) {
        StringBuilder out = new StringBuilder("\n==== fault diagnostics at ")
                .append(Instant.now())
                .append(" ====\n");
        section(out, "services", () -> services(services));
        section(out, "partitions behind their high watermark", () -> partitions(stack));
        section(out, "status history of unfinished jobs", () -> history(stack, jobIds));
        section(
                out,
                "service logs",
                () -> "kept after the run in "
                        + io.tweetreel.devstack.DevStackExtension.keptLogs(FaultStackExtension.class));
        return out.toString();
    }

    private interface Section {
        String text() throws Exception;
    }

    private static void section(StringBuilder out, String title, Section section) {
        out.append("-- ").append(title).append('\n');
        try {
            out.append(section.text()).append('\n');
        } catch (Exception e) {
            out.append("(could not read: ").append(e).append(")\n");
        }
    }

    private static String services(Collection<ServiceProcess> services) {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess service : services) {
            out.append(service.name()).append(" /status: ");
            try {
                HttpResponse<String> r = FaultTestSupport.HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/status"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                out.append(r.body());
            } catch (Exception e) {
                out.append("no answer (").append(e).append(')');
            }
            out.append('\n');
        }
        return out.toString();
    }

    static Admin admin(StackEndpoints stack) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000));
    }

    private static String partitions(StackEndpoints stack) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Admin admin = admin(stack)) {
            var topics = admin.describeTopics(Topics.ALL).allTopicNames().get(15, TimeUnit.SECONDS);
            Set<TopicPartition> all = topics.values().stream()
                    .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest =
                    all.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var high = admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(15, TimeUnit.SECONDS);
            List<TopicPartition> behind = all.stream()
                    .filter(tp -> stable.get(tp).offset() < high.get(tp).offset())
                    .sorted(java.util.Comparator.comparing(TopicPartition::toString))
                    .toList();
            if (behind.isEmpty()) {
                return "none";
            }
            var producers = admin.describeProducers(behind).all().get(15, TimeUnit.SECONDS);
            for (TopicPartition tp : behind) {
                out.append(tp)
                        .append(": last stable offset ")
                        .append(stable.get(tp).offset())
                        .append(" < high watermark ")
                        .append(high.get(tp).offset())
                        .append('\n');
                for (var producer : producers.get(tp).activeProducers()) {
                    if (producer.currentTransactionStartOffset().isEmpty()) {
                        continue;
                    }
                    out.append("    open: ").append(producer).append('\n');
                    Collection<TransactionListing> listings = admin.listTransactions(
                                    new ListTransactionsOptions().filterProducerIds(Set.of(producer.producerId())))
                            .all()
                            .get(15, TimeUnit.SECONDS);
                    for (TransactionListing listing : listings) {
                        out.append("    coordinator: ")
                                .append(listing.transactionalId())
                                .append(' ')
                                .append(admin.describeTransactions(List.of(listing.transactionalId()))
                                        .all()
                                        .get(15, TimeUnit.SECONDS)
                                        .get(listing.transactionalId()))
                                .append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String history(StackEndpoints stack, Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return "none";
        }
        var status = Topics.withRegistry(stack.registryUrl()).status();
        Map<String, List<String>> updates = new java.util.LinkedHashMap<>();
        jobIds.forEach(id -> updates.put(id, new java.util.ArrayList<>()));
        try (KafkaConsumer<String, JobStatus> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_uncommitted"),
                new StringDeserializer(),
                status.valueSerde().deserializer())) {
            int partitions = consumer.partitionsFor(status.name()).size();
            List<TopicPartition> tps = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(status.name(), p))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    List<String> job = updates.get(record.key());
                    if (job != null) {
                        JobStatus s = record.value();
                        job.add("  @" + record.partition() + ":" + record.offset() + " "
                                + (s == null
                                        ? "tombstone"
                                        : s.getStatus() + " " + s.getCurrentStep() + " " + s.getProgress() + " at "
                                                + s.getUpdatedAt()
                                                + (s.getError() == null ? "" : " error " + s.getError())));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        updates.forEach((jobId, job) -> {
            out.append(jobId).append(": ").append(job.size()).append(" updates");
            if (job.size() > 12) {
                out.append(", the last 12");
            }
            out.append('\n');
            job.subList(Math.max(0, job.size() - 12), job.size())
                    .forEach(u -> out.append(u).append('\n'));
        });
        return out.toString();
    }
}
