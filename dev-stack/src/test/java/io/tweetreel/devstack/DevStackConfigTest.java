package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevStackConfigTest {

    @Test
    void defaultsAreTheDocumentedLocalPortsAndStateDir() {
        DevStackConfig config = DevStackConfig.fromEnvironment(Map.of());
        assertThat(config.stateDir())
                .isEqualTo(Path.of(".tweetreel").toAbsolutePath().normalize());
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.kafkaControllerPort()).isEqualTo(9093);
        assertThat(config.registryPort()).isEqualTo(8081);
        assertThat(config.s3Port()).isEqualTo(9000);
        assertThat(config.s3AccessKey()).isEqualTo("minioadmin");
        assertThat(config.s3SecretKey()).isEqualTo("minioadmin");
    }

    @Test
    void environmentOverridesDefaultsAndArgumentsOverrideEnvironment() {
        DevStackConfig config = DevStackConfig.fromEnvironment(
                Map.of("KAFKA_PORT", "19092", "S3_PORT", "19000", "TWEETREEL_STATE_DIR", "/tmp/a"),
                "--s3-port",
                "29000",
                "--state-dir=/tmp/b",
                "--registry-port=0");
        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.s3Port()).isEqualTo(29000);
        assertThat(config.registryPort()).isZero();
        assertThat(config.stateDir()).isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of("REGISTRY_PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REGISTRY_PORT")
                .hasMessageContaining("0-65535");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of(), "--kafka-port=70000"))
                .hasMessageContaining("KAFKA_PORT");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of(), "--colour"))
                .hasMessageContaining("unknown option --colour");
    }

    @Test
    void kafkaAuthIsAFlagWithoutAValue() {
        assertThat(DevStackConfig.fromEnvironment(Map.of()).kafkaAuth()).isFalse();
        DevStackConfig config = DevStackConfig.fromEnvironment(Map.of(), "--kafka-auth", "--kafka-port", "0");

        assertThat(config.kafkaAuth()).isTrue();
        assertThat(config.kafkaPort()).isZero();
        assertThat(config.withStateDir(Path.of("/tmp/elsewhere")).kafkaAuth()).isTrue();
        assertThat(DevStackConfig.usage()).contains("--kafka-auth");
    }

    @Test
    void oneBrokerByDefaultThreeOnRequestAndNothingElse() {
        assertThat(DevStackConfig.fromEnvironment(Map.of()).brokers()).isEqualTo(1);
        assertThat(DevStackConfig.fromEnvironment(Map.of("KAFKA_BROKERS", "3")).brokers())
                .isEqualTo(3);
        assertThat(DevStackConfig.fromEnvironment(Map.of("KAFKA_BROKERS", "3"), "--brokers", "1")
                        .brokers())
                .isEqualTo(1);
        assertThat(DevStackConfig.forTests(Path.of("/tmp/x")).withBrokers(3).brokers())
                .isEqualTo(3);
        for (String refused : new String[] {"2", "0", "5", "three"}) {
            assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of(), "--brokers=" + refused))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KAFKA_BROKERS (--brokers) must be 1 or 3")
                    .hasMessageContaining("'" + refused + "'");
        }
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of(), "--kafka-auth", "--brokers", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--kafka-auth works with one Kafka broker only");
        assertThat(DevStackConfig.usage()).contains("--brokers VALUE").contains("[KAFKA_BROKERS]");
    }

    @Test
    void endpointsTellTheServicesHowFarToReplicateTheirTopics() {
        StackEndpoints cluster = new StackEndpoints(
                "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3",
                "http://r/apis/registry/v3",
                "http://r/apis/ccompat/v7",
                "http://s",
                "minioadmin",
                "s3cr3t",
                "us-east-1",
                Path.of("/tmp"),
                Map.of(),
                3);
        assertThat(cluster.asEnvironment())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3")
                .containsEntry("TOPIC_REPLICATION_FACTOR", "3");
    }

    @Test
    void endpointsPassTheKafkaLoginToTheServicesButNeverShowIt() {
        KafkaScram scram = new KafkaScram("tweetreel", "pa55word", "broker-pa55");
        StackEndpoints endpoints = new StackEndpoints(
                "127.0.0.1:1",
                "http://r/apis/registry/v3",
                "http://r/apis/ccompat/v7",
                "http://s",
                "minioadmin",
                "s3cr3t",
                "us-east-1",
                Path.of("/tmp"),
                scram.clientSecurity());

        assertThat(endpoints.asEnvironment())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
                .containsEntry(
                        "KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tweetreel\""
                                + " password=\"pa55word\";");
        assertThat(endpoints.kafkaClientProperties()).containsEntry("bootstrap.servers", "127.0.0.1:1");
        assertThat(endpoints + " " + scram).doesNotContain("pa55");
    }

    @Test
    void endpointsHideTheSecret() {
        StackEndpoints endpoints = new StackEndpoints(
                "127.0.0.1:1",
                "http://r/apis/registry/v3",
                "http://r/apis/ccompat/v7",
                "http://s",
                "minioadmin",
                "s3cr3t",
                "us-east-1",
                Path.of("/tmp"));
        assertThat(endpoints.toString()).doesNotContain("s3cr3t");
        assertThat(endpoints.asEnvironment()).containsEntry("S3_SECRET_KEY", "s3cr3t");
    }
}
