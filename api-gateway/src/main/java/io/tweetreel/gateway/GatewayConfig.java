package io.tweetreel.gateway;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * The gateway's settings, read from the environment together with the shared {@link PipelineConfig}.
 *
 * @param host             interface the HTTP server binds to ({@code GATEWAY_HOST})
 * @param port             HTTP port; 0 picks a free one ({@code GATEWAY_PORT})
 * @param baseUrl          public URL of the gateway, used in {@code statusUrl} ({@code BASE_URL})
 * @param advertisedUrl    how other gateway instances reach this one for forwarded lookups ({@code ADVERTISED_URL});
 *                         null means "derive from the host name and the bound port"
 * @param forwardTimeout   bound on one forwarded lookup to another instance ({@code GATEWAY_FORWARD_TIMEOUT})
 * @param lookupWait       how long a lookup keeps retrying while the owner of a key is unknown (rebalance) before
 *                         answering 503 ({@code GATEWAY_LOOKUP_WAIT})
 * @param sseHeartbeat     interval of SSE heartbeat comments ({@code SSE_HEARTBEAT})
 * @param sseMaxClients    open event streams this instance accepts; more get 503 ({@code SSE_MAX_CLIENTS})
 */
public record GatewayConfig(
        PipelineConfig pipeline,
        String host,
        int port,
        String baseUrl,
        String advertisedUrl,
        Duration forwardTimeout,
        Duration lookupWait,
        Duration sseHeartbeat,
        int sseMaxClients) {

    public static final String SERVICE_NAME = "api-gateway";
    public static final String APPLICATION_ID = "tweetreel-gateway";

    public static GatewayConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, SERVICE_NAME, 3000);
        String advertised = env.raw("ADVERTISED_URL") == null ? null : env.httpUrl("ADVERTISED_URL", null);
        return new GatewayConfig(
                pipeline,
                env.string("GATEWAY_HOST", "0.0.0.0"),
                env.integer("GATEWAY_PORT", 3000, 0, 65535),
                env.httpUrl("BASE_URL", "http://localhost:3000"),
                advertised,
                env.duration("GATEWAY_FORWARD_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(100)),
                env.duration("GATEWAY_LOOKUP_WAIT", Duration.ofSeconds(3), Duration.ZERO),
                env.duration("SSE_HEARTBEAT", Duration.ofSeconds(15), Duration.ofMillis(100)),
                env.integer("SSE_MAX_CLIENTS", 1000, 1, 100_000));
    }

    /** Reads and validates; throws {@link io.tweetreel.core.ConfigException} naming every bad variable. */
    public static GatewayConfig fromEnvironment(EnvConfig env) {
        GatewayConfig config = read(env);
        env.validate();
        return config;
    }

    /**
     * The URL other instances use to reach this one, once the bound port is known: ADVERTISED_URL when set,
     * else {@code http://<bind host, or this machine's name when bound to every interface>:<port>}.
     */
    public URI advertisedUri(int boundPort) {
        if (advertisedUrl != null) {
            return URI.create(advertisedUrl);
        }
        String advertisedHost = host;
        if ("0.0.0.0".equals(host) || "::".equals(host) || host.isBlank()) {
            advertisedHost = localHostName();
        }
        return URI.create("http://" + advertisedHost + ":" + boundPort);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }
}
