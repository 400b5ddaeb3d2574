package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class DevStackExtensionTest {

    private static final String SCHEMA = """
            {"type":"record","name":"Ping","namespace":"io.tweetreel.test",
             "fields":[{"name":"id","type":"string"}]}""";

    @Test
    void endpointsPointAtLoopbackOnFreePortsAndATempStateDir(StackEndpoints stack) {
        assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:9092");
        assertThat(stack.registryUrl()).matches("http://127\\.0\\.0\\.1:\\d+/apis/registry/v3");
        assertThat(stack.ccompatUrl()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
        assertThat(stack.stateDir().getFileName().toString()).startsWith("tweetreel-devstack-");
        assertThat(stack.asEnvironment())
                .containsOnlyKeys(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "SCHEMA_REGISTRY_URL",
                        "S3_ENDPOINT",
                        "S3_ACCESS_KEY",
                        "S3_SECRET_KEY",
                        "S3_REGION",
                        "TOPIC_REPLICATION_FACTOR");
    }

    @Test
    void theSameStackIsSharedAcrossResolutions(StackEndpoints first, DevStack stack) {
        assertThat(stack.endpoints()).isEqualTo(first);
        assertThat(stack.registryProcess())
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    }

    @Test
    void producesAndConsumesARecord(StackEndpoints stack) throws Exception {
        String topic = "ping-" + UUID.randomUUID();
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            // the broker auto-creates the topic on first use
            sent = producer.send(new ProducerRecord<>(topic, "job-1", "hello")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            TopicPartition partition = new TopicPartition(topic, sent.partition());
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("job-1");
            assertThat(record.value()).isEqualTo("hello");
        });
    }

    @Test
    void createsATopicWithTheAdminClient(StackEndpoints stack) throws Exception {
        String topic = "videos.test-" + UUID.randomUUID();
        try (Admin admin = StackClients.admin(stack)) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            assertThat(names).contains(topic);
            assertThat(description.partitions()).hasSize(6);
        }
    }

    @Test
    void registersAndListsSchemasThroughTheConfluentCompatibleApi(StackEndpoints stack) throws Exception {
        String subject = "ping-" + UUID.randomUUID() + "-value";
        assertThat(StackClients.get(stack.ccompatUrl() + "/subjects").statusCode())
                .isEqualTo(200);

        long id = StackClients.registerAvroSchema(stack, subject, SCHEMA);

        JsonNode subjects = StackClients.getJson(stack.ccompatUrl() + "/subjects");
        assertThat(subjects).extracting(JsonNode::asText).contains(subject);
        JsonNode byId = StackClients.getJson(stack.ccompatUrl() + "/schemas/ids/" + id);
        assertThat(byId.get("schema").asText()).contains("Ping");
        // registering the same schema again is idempotent
        assertThat(StackClients.registerAvroSchema(stack, subject, SCHEMA)).isEqualTo(id);
    }

    @Test
    void coreRegistryApiAnswersAtTheUrlTheSerdeIsGiven(StackEndpoints stack) throws Exception {
        JsonNode info = StackClients.getJson(stack.registryUrl() + "/system/info");
        assertThat(info.get("version").asText()).startsWith("3.0");
    }

    @Test
    void putsAndListsAnObjectInS3(StackEndpoints stack) throws Exception {
        MinioClient s3 = StackClients.s3(stack);
        String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] content = "a still frame".getBytes(StandardCharsets.UTF_8);

        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object("jobs/1/card.png").stream(
                        new ByteArrayInputStream(content), content.length, -1)
                .contentType("image/png")
                .build());

        assertThat(s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
                .isTrue();
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(
                ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        assertThat(keys).containsExactly("jobs/1/card.png");
    }

    @Test
    void s3RefusesWrongCredentials(StackEndpoints stack) {
        MinioClient s3 = MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials("minioadmin", "wrong")
                .region(stack.s3Region())
                .build();
        assertThatThrownBy(s3::listBuckets)
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
    }
}
