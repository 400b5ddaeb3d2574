package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.core.ConfigException;
import io.tweetreel.core.EnvConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    @Test
    void everyBadVariableIsRefusedInOneError() {
        EnvConfig env = EnvConfig.of(Map.of(
                "GATEWAY_PORT",
                "http",
                "SSE_HEARTBEAT",
                "never",
                "ADVERTISED_URL",
                "gateway-2:3000",
                "MAX_CONCURRENT_JOBS",
                "0"));

        assertThatThrownBy(() -> GatewayConfig.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_PORT=http is not valid: expected a whole number from 0 to 65535")
                .hasMessageContaining("SSE_HEARTBEAT=never is not valid")
                .hasMessageContaining("ADVERTISED_URL=gateway-2:3000 is not valid: expected an absolute http://")
                .hasMessageContaining("MAX_CONCURRENT_JOBS=0 is not valid");
    }

    @Test
    void unsetVariablesGetTheDocumentedDefaults() {
        GatewayConfig config = GatewayConfig.read(EnvConfig.of(Map.of()));

        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.baseUrl()).isEqualTo("http://localhost:3000");
        assertThat(config.advertisedUrl()).isNull();
        assertThat(config.forwardTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.lookupWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sseMaxClients()).isEqualTo(1000);
    }

    @Test
    void keysAreRequiredAndEveryInterfaceIsBoundByDefault() {
        GatewayConfig config = GatewayConfig.read(EnvConfig.of(Map.of()));

        assertThat(config.apiAuth()).isEqualTo(GatewayConfig.ApiAuth.KEYS);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.adminToken()).isNull();
    }

    @Test
    void withoutKeysAnUnsetHostKeepsTheGatewayOnThisMachine() {
        GatewayConfig config = GatewayConfig.read(EnvConfig.of(Map.of("API_AUTH", "none")));

        assertThat(config.apiAuth()).isEqualTo(GatewayConfig.ApiAuth.NONE);
        assertThat(config.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutKeysAHostSetExplicitlyIsKept() {
        GatewayConfig config = GatewayConfig.read(EnvConfig.of(Map.of("API_AUTH", "none", "GATEWAY_HOST", "0.0.0.0")));

        assertThat(config.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void aShortAdminTokenIsRefusedWithoutBeingQuoted() {
        String token = "short-admin-token-31-characters";
        EnvConfig env = EnvConfig.of(Map.of("ADMIN_TOKEN", token, "API_AUTH", "maybe"));

        assertThatThrownBy(() -> GatewayConfig.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_TOKEN is too short: use at least 32 characters")
                .hasMessageContaining("API_AUTH=maybe is not valid: expected one of keys, none")
                .message()
                .doesNotContain(token);
    }

    @Test
    void theAdminTokenDoesNotShowInTheConfigsText() {
        String token = "an-admin-token-of-forty-characters-long!";
        GatewayConfig config = GatewayConfig.read(EnvConfig.of(Map.of("ADMIN_TOKEN", token)));

        assertThat(config.adminToken().matches(token)).isTrue();
        assertThat(config.adminToken().matches(token + "x")).isFalse();
        assertThat(config.toString()).doesNotContain(token);
    }
}
