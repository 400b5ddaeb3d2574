package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault tests stop the broker or the S3 server under running clients and start it again: it must come back
 * on the same address (even when the first start picked a free port) with its data, and clients that were never
 * restarted must reach it.
 */
class InPlaceRestartTest {

    @TempDir
    Path dir;

    @Test
    void brokerRestartsOnTheSameAddressWithItsRecordsAndAProducerThatStayedOpenReachesIt() throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0, 0);
        try {
            String bootstrap = kafka.start();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("restart", "k", "before")).get(30, TimeUnit.SECONDS);

                kafka.stop();
                assertThatThrownBy(kafka::bootstrapServers).hasMessageContaining("not running");
                assertThat(kafka.start()).isEqualTo(bootstrap);

                producer.send(new ProducerRecord<>("restart", "k", "after")).get(60, TimeUnit.SECONDS);
            }
            assertThat(readAll(bootstrap, "restart", 2)).containsExactly("before", "after");
        } finally {
            kafka.stop();
        }
    }

    @Test
    void theBrokerRunsTransactionVersion1EvenOnAStateDirectoryFormattedWith2() throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka-tv"), 0, 0);
        try {
            String bootstrap = kafka.start();
            assertThat(transactionVersion(bootstrap)).as("a new log directory").isEqualTo((short) 1);
            // what a dev stack of an earlier version left behind: the 4.x default, version 2
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.updateFeatures(
                                Map.of(
                                        "transaction.version",
                                        new FeatureUpdate((short) 2, FeatureUpdate.UpgradeType.UPGRADE)),
                                new UpdateFeaturesOptions())
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(transactionVersion(bootstrap)).isEqualTo((short) 2);

            kafka.stop();
            kafka.start();
            assertThat(transactionVersion(bootstrap)).as("after a restart").isEqualTo((short) 1);
        } finally {
            kafka.stop();
        }
    }

    private static short transactionVersion(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeFeatures()
                    .featureMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .finalizedFeatures()
                    .get("transaction.version")
                    .maxVersionLevel();
        }
    }

    @Test
    void s3RestartsOnTheSameEndpointWithItsObjectsAndRefusesWhileDown() throws Exception {
        EmbeddedS3 s3 = new EmbeddedS3(dir.resolve("s3"), 0, "restart", "restart-secret");
        try {
            String endpoint = s3.start();
            MinioClient client = MinioClient.builder()
                    .endpoint(endpoint)
                    .credentials("restart", "restart-secret")
                    .region("us-east-1")
                    .build();
            client.makeBucket(MakeBucketArgs.builder().bucket("kept").build());
            byte[] bytes = "kept across restarts".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("kept").object("a/b.txt").stream(
                            new ByteArrayInputStream(bytes), bytes.length, -1)
                    .build());

            s3.stop();
            assertThatThrownBy(() -> client.bucketExists(
                            BucketExistsArgs.builder().bucket("kept").build()))
                    .hasRootCauseInstanceOf(java.net.ConnectException.class);
            assertThat(s3.start()).isEqualTo(endpoint);

            try (InputStream in = client.getObject(
                    GetObjectArgs.builder().bucket("kept").object("a/b.txt").build())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        } finally {
            s3.stop();
        }
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "restart-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(60);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
