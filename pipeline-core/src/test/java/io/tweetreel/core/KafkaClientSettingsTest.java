package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
    private static final String SCRAM_LOGIN =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"s3cret-pw\";";

    @Test
    void nothingSetMeansKafkasDefaults() {
        EnvConfig env = EnvConfig.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        KafkaClientSettings kafka = KafkaClientSettings.read(env);

        assertThat(env.problems()).isEmpty();
        assertThat(kafka.properties()).containsOnly(Map.entry("bootstrap.servers", "kafka:9092"));
    }

    @Test
    void scramSettingsReachEveryClientAStageBuilds() {
        EnvConfig env = EnvConfig.of(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "sasl_plaintext",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN));
        PipelineConfig config = PipelineConfig.read(env, "renderer-service", 3101);
        env.validate();

        Properties streams = StreamsSettings.forStage(config, "tweetreel-renderer");
        StreamsConfig streamsConfig = new StreamsConfig(streams);
        // what Streams really hands to the clients it builds inside, not just what we put in
        Map<String, Object> producer = streamsConfig.getProducerConfigs("p");
        Map<String, Object> consumer = streamsConfig.getMainConsumerConfigs("g", "c", 0);
        Map<String, Object> admin = streamsConfig.getAdminConfigs("a");
        for (Map<String, Object> client : List.of(producer, consumer, admin)) {
            assertThat(client)
                    .containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                    .containsEntry("sasl.jaas.config", SCRAM_LOGIN);
        }
        assertThat(config.kafkaClientProperties())
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.jaas.config", SCRAM_LOGIN);
    }

    @Test
    void theLoginAndPasswordsNeverShowInTheSettingsText(@TempDir Path dir) throws Exception {
        Path truststore = Files.writeString(dir.resolve("ca.p12"), "not really a store");
        EnvConfig env = EnvConfig.of(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"));
        PipelineConfig config = PipelineConfig.read(env, "storage-service", 3103);
        env.validate();

        assertThat(config.kafka().security())
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.password", "trust-pw")
                .containsEntry("ssl.truststore.type", "PKCS12");
        assertThat(config.toString()).contains("SCRAM-SHA-512", "SASL_SSL").doesNotContain("s3cret-pw", "trust-pw");
    }

    @Test
    void aSaslProtocolWithoutALoginIsRefused() {
        EnvConfig env = EnvConfig.of(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "PLAIN"));

        KafkaClientSettings.read(env);

        assertThatThrownBy(env::validate)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_SASL_JAAS_CONFIG is required with KAFKA_SECURITY_PROTOCOL=SASL_SSL");
    }

    @Test
    void unknownProtocolAndMechanismAreRefusedWithWhatIsAccepted() {
        EnvConfig env = EnvConfig.of(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "TLS",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-1",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN));
        KafkaClientSettings.read(env);

        EnvConfig sasl = EnvConfig.of(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-1",
                "KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN));
        KafkaClientSettings.read(sasl);

        assertThat(env.problems())
                .contains("KAFKA_SECURITY_PROTOCOL=TLS is not valid: expected one of PLAINTEXT, SSL, SASL_PLAINTEXT,"
                        + " SASL_SSL");
        assertThat(sasl.problems())
                .containsExactly("KAFKA_SASL_MECHANISM=SCRAM-SHA-1 is not valid: expected one of PLAIN,"
                        + " SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI");
    }

    @Test
    void aMalformedLoginIsRefusedWithoutQuotingIt() {
        EnvConfig env = EnvConfig.of(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KAFKA_SASL_JAAS_CONFIG", "username=svc password=s3cret-pw"));

        KafkaClientSettings.read(env);

        assertThat(env.problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .startsWith("KAFKA_SASL_JAAS_CONFIG is not valid")
                        .doesNotContain("s3cret-pw"));
    }

    @Test
    void aScramLoginWithoutAScramMechanismIsRefused() {
        EnvConfig env =
                EnvConfig.of(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN));

        KafkaClientSettings.read(env);

        assertThat(env.problems())
                .containsExactly("KAFKA_SASL_JAAS_CONFIG logs in with ScramLoginModule, which does not do"
                        + " KAFKA_SASL_MECHANISM=GSSAPI (Kafka's default): set KAFKA_SASL_MECHANISM");
    }

    @Test
    void aMissingTruststoreFileIsRefused(@TempDir Path dir) {
        String missing = dir.resolve("nowhere.jks").toString();
        EnvConfig env =
                EnvConfig.of(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_LOCATION", missing));

        KafkaClientSettings.read(env);

        assertThat(env.problems())
                .containsExactly("KAFKA_SSL_TRUSTSTORE_LOCATION=" + missing + " is not valid: no readable file there");
    }

    @Test
    void settingsThatTheProtocolWouldIgnoreAreRefused() {
        Map<String, String> values = new HashMap<>();
        values.put("KAFKA_SASL_JAAS_CONFIG", SCRAM_LOGIN);
        values.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pw");
        EnvConfig unset = EnvConfig.of(values);
        values.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        values.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256");
        EnvConfig saslWithoutTls = EnvConfig.of(values);

        KafkaClientSettings.read(unset);
        KafkaClientSettings.read(saslWithoutTls);

        assertThat(unset.problems())
                .containsExactly(
                        "KAFKA_SASL_JAAS_CONFIG is set but KAFKA_SECURITY_PROTOCOL is not set (PLAINTEXT): it applies"
                                + " only with SASL_PLAINTEXT or SASL_SSL",
                        "KAFKA_SSL_TRUSTSTORE_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is not set (PLAINTEXT): it"
                                + " applies only with SSL or SASL_SSL");
        assertThat(saslWithoutTls.problems())
                .containsExactly("KAFKA_SSL_TRUSTSTORE_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT:"
                        + " it applies only with SSL or SASL_SSL");
    }

    @Test
    void hostNameVerificationCanBeTurnedOffExplicitly() {
        EnvConfig env = EnvConfig.of(
                Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "none"));

        KafkaClientSettings kafka = KafkaClientSettings.read(env);

        assertThat(env.problems()).isEmpty();
        assertThat(kafka.properties()).containsEntry("ssl.endpoint.identification.algorithm", "");
    }
}
