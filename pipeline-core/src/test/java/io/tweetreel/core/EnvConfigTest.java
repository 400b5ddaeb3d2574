package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvConfigTest {
    @Test
    void defaultsApplyWhenNothingIsSet() {
        EnvConfig env = EnvConfig.of(Map.of());
        PipelineConfig config = PipelineConfig.read(env, "renderer-service", 3101);
        env.validate();
        assertThat(config.maxConcurrentJobs()).isEqualTo(2);
        assertThat(config.topicPartitions()).isEqualTo(6);
        assertThat(config.opsPort()).isEqualTo(3101);
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.objectStore().region()).isEqualTo("us-east-1");
    }

    @Test
    void badValueIsRefusedNamingTheVariableAndWhatItAccepts() {
        EnvConfig env = EnvConfig.of(Map.of("MAX_CONCURRENT_JOBS", "zero", "LOG_FORMAT", "xml",
                "JOB_TIMEOUT", "soon"));
        PipelineConfig.read(env, "composer-service", 3102);
        assertThatThrownBy(env::validate)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MAX_CONCURRENT_JOBS=zero is not valid: expected a whole number from 1 to 64")
                .hasMessageContaining("JOB_TIMEOUT=soon is not valid");
    }

    @Test
    void outOfRangeAndUrlsAreChecked() {
        EnvConfig env = EnvConfig.of(Map.of("MAX_CONCURRENT_JOBS", "0", "S3_ENDPOINT", "localhost:9000"));
        PipelineConfig.read(env, "storage-service", 3103);
        assertThat(env.problems()).hasSize(2)
                .anyMatch(p -> p.startsWith("MAX_CONCURRENT_JOBS=0"))
                .anyMatch(p -> p.startsWith("S3_ENDPOINT=localhost:9000 is not valid: expected an absolute"));
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(EnvConfig.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(EnvConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(EnvConfig.parseDuration("PT24H")).isEqualTo(Duration.ofHours(24));
        assertThat(EnvConfig.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(EnvConfig.parseDuration("later")).isNull();
    }

    enum Format { TEXT, JSON }

    @Test
    void choicesListTheAcceptedValues() {
        EnvConfig env = EnvConfig.of(Map.of("LOG_FORMAT", "xml"));
        assertThat(env.choice("LOG_FORMAT", Format.TEXT)).isEqualTo(Format.TEXT);
        assertThat(env.problems()).containsExactly("LOG_FORMAT=xml is not valid: expected one of text, json");
    }
}
