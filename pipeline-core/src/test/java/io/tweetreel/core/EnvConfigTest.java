package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().security()).isEmpty();
        assertThat(config.objectStore().region()).isEqualTo("us-east-1");
    }

    @Test
    void badValueIsRefusedNamingTheVariableAndWhatItAccepts() {
        EnvConfig env = EnvConfig.of(Map.of("MAX_CONCURRENT_JOBS", "zero", "LOG_FORMAT", "xml", "JOB_TIMEOUT", "soon"));
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
        assertThat(env.problems())
                .hasSize(2)
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

    enum Format {
        TEXT,
        JSON
    }

    @Test
    void choicesListTheAcceptedValues() {
        EnvConfig env = EnvConfig.of(Map.of("LOG_FORMAT", "xml"));
        assertThat(env.choice(PipelineConfig.LOG_FORMAT, Format.class)).isEqualTo(Format.TEXT);
        assertThat(env.problems()).containsExactly("LOG_FORMAT=xml is not valid: expected one of text, json");
    }

    @Test
    void theDeclaredDefaultIsTheDefaultRead() {
        ConfigVariable timeout = ConfigVariable.withDefault("SOME_TIMEOUT", Duration.ofSeconds(90), "a timeout");
        ConfigVariable limit = ConfigVariable.withDefault("SOME_LIMIT", 7, "a limit");
        EnvConfig env = EnvConfig.of(Map.of());

        assertThat(timeout.defaultValue()).isEqualTo("90s");
        assertThat(env.duration(timeout, Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(env.integer(limit, 1, 10)).isEqualTo(7);
        assertThat(env.variablesRead()).containsExactly(timeout, limit);
    }

    @Test
    void aWorkedOutDefaultIsOnlyAcceptedForAVariableDeclaredThatWay() {
        ConfigVariable fixed = ConfigVariable.withDefault("SOME_DIR", "/srv", "a directory");
        ConfigVariable workedOut = ConfigVariable.derived("OTHER_DIR", "$TMPDIR/x", "another directory");
        EnvConfig env = EnvConfig.of(Map.of());

        assertThat(env.path(workedOut, Path.of("/tmp/x"))).isEqualTo(Path.of("/tmp/x"));
        assertThat(env.path(workedOut)).isNull();
        assertThatThrownBy(() -> env.path(fixed, Path.of("/elsewhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SOME_DIR declares the default /srv: read it without a worked-out default");
    }

    @Test
    void aMissingRequiredVariableIsReportedWithItsDescription() {
        ConfigVariable secret = ConfigVariable.required("SOME_SECRET", "a key of at least 16 characters");
        EnvConfig env = EnvConfig.of(Map.of());

        assertThat(env.required(secret)).isNull();
        assertThatThrownBy(env::validate)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SOME_SECRET is required: a key of at least 16 characters");
    }

    @Test
    void theSharedVariablesAreDeclaredExactlyAsRead() {
        EnvConfig env = EnvConfig.of(Map.of());
        PipelineConfig.read(env, "composer-service", 3102);

        List<ConfigVariable> declared = new ArrayList<>(PipelineConfig.variables(3102));
        declared.removeAll(PipelineConfig.LOGGING);
        assertThat(env.variablesRead()).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(declared)
                .filteredOn(v -> v.name().equals("OPS_PORT"))
                .singleElement()
                .extracting(ConfigVariable::defaultValue)
                .isEqualTo("3102");
    }

    @Test
    void logbackReadsTheDeclaredLoggingVariablesWithTheirDefaults() throws Exception {
        String logback;
        try (var in = EnvConfigTest.class.getResourceAsStream("/logback.xml")) {
            logback = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> placeholders = new TreeMap<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)}").matcher(logback);
        while (m.find()) {
            placeholders.put(m.group(1), m.group(2));
        }
        Map<String, String> declared = new TreeMap<>();
        PipelineConfig.LOGGING.forEach(v -> declared.put(v.name(), v.defaultValue()));

        assertThat(placeholders).isEqualTo(declared);
    }
}
