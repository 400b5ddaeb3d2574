package io.tweetreel.gateway;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

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
 * @param batchInFlight    batch jobs let into the pipeline at once, across every batch ({@code BATCH_IN_FLIGHT})
 * @param apiAuth          whether {@code /api/*} calls need an API key ({@code API_AUTH})
 * @param adminToken       what the admin endpoints require; null when unset, and they refuse everyone
 *                         ({@code ADMIN_TOKEN})
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
        int sseMaxClients,
        int batchInFlight,
        ApiAuth apiAuth,
        AdminToken adminToken) {

    /** Whether the API wants keys. */
    public enum ApiAuth {
        /** Every {@code /api/*} call needs {@code Authorization: Bearer <key>}. */
        KEYS,
        /** Anyone who reaches the gateway may call the API: for one person's machine (binds 127.0.0.1). */
        NONE
    }

    public static final String SERVICE_NAME = "api-gateway";
    public static final String APPLICATION_ID = "tweetreel-gateway";
    /** The HTTP port, and the default the shared config's (unused) ops port gets. */
    static final int DEFAULT_PORT = 3000;

    /** Without keys, an unset GATEWAY_HOST keeps the API to this machine; setting it is a deliberate choice. */
    public static final ConfigVariable GATEWAY_HOST = ConfigVariable.derived(
            "GATEWAY_HOST",
            "0.0.0.0 (127.0.0.1 with API_AUTH=none)",
            "interface of the API, web page, downloads and ops endpoints");

    public static final ConfigVariable GATEWAY_PORT = ConfigVariable.withDefault(
            "GATEWAY_PORT", 3000, "port of the API, web page, downloads and ops endpoints; 0 picks a free one");
    public static final ConfigVariable BASE_URL = ConfigVariable.withDefault(
            "BASE_URL", "http://localhost:3000", "public URL of the gateway, for download links");
    public static final ConfigVariable ADVERTISED_URL = ConfigVariable.derived(
            "ADVERTISED_URL",
            "http://<host>:<port>",
            "how other gateway instances reach this one for lookups they forward");
    public static final ConfigVariable GATEWAY_FORWARD_TIMEOUT = ConfigVariable.withDefault(
            "GATEWAY_FORWARD_TIMEOUT", Duration.ofSeconds(2), "limit on one forwarded lookup");
    public static final ConfigVariable GATEWAY_LOOKUP_WAIT = ConfigVariable.withDefault(
            "GATEWAY_LOOKUP_WAIT",
            Duration.ofSeconds(3),
            "how long a lookup waits while partitions move, then 503 + Retry-After");
    public static final ConfigVariable SSE_HEARTBEAT = ConfigVariable.withDefault(
            "SSE_HEARTBEAT", Duration.ofSeconds(15), "interval of event-stream heartbeat comments");
    public static final ConfigVariable SSE_MAX_CLIENTS =
            ConfigVariable.withDefault("SSE_MAX_CLIENTS", 1000, "open event streams per instance; beyond that, 503");
    /**
     * Two: what one instance of a stage works on at once (MAX_CONCURRENT_JOBS' default). A single job then waits
     * behind at most two batch jobs in any stage. Measured on 2 cores: 1.41x the idle latency with two, 3.01x with
     * four (over the 3x target); the price is batch throughput, since the composer idles while a batch item is
     * rendered or filed. Raise it with the instances of the slowest stage (about MAX_CONCURRENT_JOBS x instances).
     */
    static final int DEFAULT_BATCH_IN_FLIGHT = 2;

    public static final ConfigVariable BATCH_IN_FLIGHT = ConfigVariable.withDefault(
            "BATCH_IN_FLIGHT",
            DEFAULT_BATCH_IN_FLIGHT,
            "batch jobs in the pipeline at once (all batches together); single jobs wait behind at most these");
    public static final ConfigVariable API_AUTH = ConfigVariable.withDefault(
            "API_AUTH", "keys", "keys: every /api call needs Authorization: Bearer <key>; none: open to anyone");
    public static final ConfigVariable ADMIN_TOKEN = ConfigVariable.derived(
            "ADMIN_TOKEN",
            "unset (admin endpoints off)",
            "bearer token of the /admin/keys endpoints, at least 32 characters; environment only");
    /** Every variable the gateway reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_PORT),
            List.of(
                    GATEWAY_HOST,
                    GATEWAY_PORT,
                    BASE_URL,
                    ADVERTISED_URL,
                    GATEWAY_FORWARD_TIMEOUT,
                    GATEWAY_LOOKUP_WAIT,
                    SSE_HEARTBEAT,
                    SSE_MAX_CLIENTS,
                    BATCH_IN_FLIGHT,
                    API_AUTH,
                    ADMIN_TOKEN));

    /**
     * Reads and validates, like every service's config: throws {@link io.tweetreel.core.ConfigException} naming
     * every bad variable.
     */
    public static GatewayConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, SERVICE_NAME, DEFAULT_PORT);
        ApiAuth apiAuth = env.choice(API_AUTH, ApiAuth.class);
        String adminToken = env.string(ADMIN_TOKEN, null);
        if (adminToken != null && adminToken.length() < AdminToken.MIN_LENGTH) {
            // the message never quotes the token
            env.problem("ADMIN_TOKEN is too short: use at least " + AdminToken.MIN_LENGTH
                    + " characters (e.g. openssl rand -hex 32)");
        }
        GatewayConfig config = new GatewayConfig(
                pipeline,
                env.string(GATEWAY_HOST, apiAuth == ApiAuth.NONE ? "127.0.0.1" : "0.0.0.0"),
                env.integer(GATEWAY_PORT, 0, 65535),
                env.httpUrl(BASE_URL),
                env.httpUrl(ADVERTISED_URL),
                env.duration(GATEWAY_FORWARD_TIMEOUT, Duration.ofMillis(100)),
                env.duration(GATEWAY_LOOKUP_WAIT, Duration.ZERO),
                env.duration(SSE_HEARTBEAT, Duration.ofMillis(100)),
                env.integer(SSE_MAX_CLIENTS, 1, 100_000),
                env.integer(BATCH_IN_FLIGHT, 1, 10_000),
                apiAuth,
                adminToken == null ? null : new AdminToken(adminToken));
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
