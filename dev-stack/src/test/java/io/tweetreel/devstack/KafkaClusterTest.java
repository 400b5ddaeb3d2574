package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dev stack with {@code --brokers 3}: a topic on all three nodes outlives a kill -9 of one of them. */
@ExtendWith(KafkaClusterTest.ThreeBrokers.class)
class KafkaClusterTest {

    /** The stack of this test: three Kafka nodes, nothing on top. */
    static final class ThreeBrokers extends DevStackExtension {
        @Override
        protected DevStackConfig config(Path stateDir) {
            return DevStackConfig.forTests(stateDir).withBrokers(3);
        }
    }

    private static final String SCHEMA = """
            {"type":"record","name":"Pong","namespace":"io.tweetreel.test",
             "fields":[{"name":"id","type":"string"}]}""";

    @Test
    void threeNodesServeTheServicesAndTheRegistryWithEveryTopicOnAllThree(DevStack stack) throws Exception {
        StackEndpoints endpoints = stack.endpoints();
        assertThat(stack.liveBrokerIds()).containsExactly(1, 2, 3);
        assertThat(endpoints.bootstrapServers().split(",")).hasSize(3).allMatch(a -> a.startsWith("127.0.0.1:"));
        assertThat(endpoints.asEnvironment()).containsEntry("TOPIC_REPLICATION_FACTOR", "3");
        assertThatThrownBy(stack::kafka).hasMessageContaining("killBroker");

        assertThat(StackClients.registerAvroSchema(endpoints, "pong-value", SCHEMA))
                .isPositive();
        try (Admin admin = StackClients.admin(endpoints)) {
            for (String registryTopic : ApicurioRegistry.STORAGE_TOPICS) {
                assertThat(replicasOf(admin, registryTopic))
                        .as("replicas of the registry's %s", registryTopic)
                        .containsOnly(3);
            }
        }
    }

    @Test
    void acksAllWritesGoOnWhileOneNodeIsKilled(DevStack stack) throws Exception {
        StackEndpoints endpoints = stack.endpoints();
        String topic = "survivor";
        int leader;
        try (Admin admin = StackClients.admin(endpoints)) {
            // replication factor and min.insync.replicas from the brokers' defaults, as the services' topics get them
            admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(replicasOf(admin, topic)).containsOnly(3);
            ConfigResource topicConfig = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(topicConfig))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(topicConfig)
                            .get("min.insync.replicas")
                            .value())
                    .isEqualTo("2");
            leader = partition(admin, topic).leader().id();
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                endpoints.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "k", "before")).get(30, TimeUnit.SECONDS);

            stack.killBroker(leader);
            assertThat(ProcessHandle.current()
                            .children()
                            .filter(p -> p.info().commandLine().orElse("").contains(KafkaCluster.NODE_MARKER))
                            .map(p -> p.info().commandLine().orElseThrow())
                            .toList())
                    .as("Kafka nodes still running")
                    .hasSize(2)
                    .noneMatch(command -> command.contains(KafkaCluster.NODE_MARKER + leader + " "));
            // acknowledged by the two nodes left, which are min.insync.replicas
            producer.send(new ProducerRecord<>(topic, "k", "after")).get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !stack.liveBrokerIds().contains(leader));

            stack.restartBroker(leader);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> stack.liveBrokerIds().equals(Set.of(1, 2, 3)));
        }
        assertThat(readAll(endpoints, topic, 2)).containsExactly("before", "after");
    }

    private static List<Integer> replicasOf(Admin admin, String topic) throws Exception {
        return admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .stream()
                .map(p -> p.replicas().size())
                .toList();
    }

    private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions().get(0);
    }

    private static List<String> readAll(StackEndpoints endpoints, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
