package io.tweetreel.core;

import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline's topics that do not exist yet. Safe to run from every instance at every start. */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long STATUS_RETENTION_MS = Duration.ofDays(7).toMillis();
    private static final long DEAD_LETTER_RETENTION_MS = Duration.ofDays(14).toMillis();
    /** As long as the status: the delivery log of a job is asked for while its status can be. */
    private static final long WEBHOOK_DELIVERIES_RETENTION_MS = STATUS_RETENTION_MS;
    /** A redeliver command is acted on within seconds; a day covers a notifier that is down for a while. */
    private static final long WEBHOOK_COMMANDS_RETENTION_MS = Duration.ofDays(1).toMillis();

    private TopicProvisioner() {}

    public static List<NewTopic> topics(int partitions, short replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            NewTopic topic = new NewTopic(name, partitions, replicationFactor);
            if (name.equals(Topics.VIDEOS_STATUS)) {
                // the latest status of each job, kept a week
                topic.configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        "compact,delete",
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(STATUS_RETENTION_MS)));
            } else if (name.equals(Topics.VIDEOS_DEAD_LETTER)) {
                topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION_MS)));
            } else if (name.equals(Topics.VIDEOS_WEBHOOK_DELIVERIES)) {
                // a log (every attempt of a job under its key), so deleted by age, never compacted
                topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEBHOOK_DELIVERIES_RETENTION_MS)));
            } else if (name.equals(Topics.VIDEOS_CANCELLATIONS) || name.equals(Topics.VIDEOS_BATCHES)) {
                // the latest cancel of a job, the batch as accepted: asked for as long as the job's status is
                topic.configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        "compact,delete",
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(STATUS_RETENTION_MS)));
            } else if (name.equals(Topics.VIDEOS_API_KEYS)) {
                // the latest version of every key, revoked ones included, for as long as the service runs
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            } else if (name.equals(Topics.VIDEOS_WEBHOOK_COMMANDS)) {
                topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEBHOOK_COMMANDS_RETENTION_MS)));
            }
            topics.add(topic);
        }
        return topics;
    }

    /** Creates missing topics; returns the names it created. */
    public static Set<String> ensureTopics(KafkaClientSettings kafka, int partitions, short replicationFactor) {
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics(partitions, replicationFactor).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            var result = admin.createTopics(missing);
            Set<String> created = new java.util.TreeSet<>();
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get();
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another instance creating it at the same time is fine, anything else is not
                    }
                }
            }
            log.info("created topics {}", created);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create topics on " + kafka.bootstrapServers() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
