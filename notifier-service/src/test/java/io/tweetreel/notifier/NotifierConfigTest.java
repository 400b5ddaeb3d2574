package io.tweetreel.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.core.ConfigException;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.http.AddressPolicy;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifierConfigTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);

    @Test
    void defaults() {
        NotifierConfig config = NotifierConfig.read(EnvConfig.of(Map.of("WEBHOOK_SECRET", SECRET)));

        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retrySchedule())
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(30),
                        Duration.ofHours(1),
                        Duration.ofHours(2),
                        Duration.ofHours(4),
                        Duration.ofHours(8),
                        Duration.ofHours(8));
        assertThat(config.maxInFlight()).isEqualTo(64);
        assertThat(config.maxInFlightPerEndpoint()).isEqualTo(4);
        assertThat(config.allowPrivateHosts()).isFalse();
        // what WebhookSenderTest shows refusing localhost and metadata addresses with zero connections
        assertThat(config.addressPolicy()).isEqualTo(AddressPolicy.PUBLIC_ONLY);
        assertThat(config.pipeline().opsPort()).isEqualTo(3104);
    }

    @Test
    void readsEveryWebhookSetting() {
        NotifierConfig config = NotifierConfig.read(EnvConfig.of(Map.of(
                "WEBHOOK_SECRET",
                SECRET,
                "WEBHOOK_TIMEOUT",
                "2s",
                "WEBHOOK_RETRY_SCHEDULE",
                "1s, 2s,500ms",
                "WEBHOOK_MAX_IN_FLIGHT",
                "10",
                "WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT",
                "1",
                "WEBHOOK_ALLOW_PRIVATE_HOSTS",
                "true")));

        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.retrySchedule())
                .isEqualTo(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500)));
        assertThat(config.maxInFlight()).isEqualTo(10);
        assertThat(config.maxInFlightPerEndpoint()).isEqualTo(1);
        assertThat(config.allowPrivateHosts()).isTrue();
        assertThat(config.addressPolicy()).isEqualTo(AddressPolicy.PUBLIC_AND_PRIVATE);
        assertThat(config.toString()).doesNotContain(SECRET.substring(6));
    }

    @Test
    void refusesToStartWithoutAWellFormedSecretNamingTheProblem() {
        assertThatThrownBy(() -> NotifierConfig.read(EnvConfig.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("WEBHOOK_SECRET is required");
        String tooShort = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
        for (var bad : Map.of(
                        "secret123456789012345678901234567890",
                        "must start with whsec_",
                        "whsec_***not base64***",
                        "not base64",
                        tooShort,
                        "16 bytes, at least 24")
                .entrySet()) {
            assertThatThrownBy(() -> NotifierConfig.read(EnvConfig.of(Map.of("WEBHOOK_SECRET", bad.getKey()))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("WEBHOOK_SECRET is not valid")
                    .hasMessageContaining(bad.getValue())
                    .hasMessageNotContaining(bad.getKey());
        }
    }

    @Test
    void reportsABadScheduleWithTheOtherProblems() {
        Map<String, String> env = new HashMap<>(
                Map.of("WEBHOOK_SECRET", SECRET, "WEBHOOK_RETRY_SCHEDULE", "5s,soon", "WEBHOOK_MAX_IN_FLIGHT", "0"));

        assertThatThrownBy(() -> NotifierConfig.read(EnvConfig.of(env)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("WEBHOOK_RETRY_SCHEDULE=5s,soon is not valid")
                .hasMessageContaining("soon is not one")
                .hasMessageContaining("WEBHOOK_MAX_IN_FLIGHT=0");
    }
}
