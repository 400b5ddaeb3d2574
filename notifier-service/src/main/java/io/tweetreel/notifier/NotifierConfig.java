package io.tweetreel.notifier;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of the notifier service.
 *
 * @param secret                 {@code WEBHOOK_SECRET}, {@code whsec_<base64 of >= 24 bytes>}; environment only,
 *                               required
 * @param timeout                longest one attempt may take, DNS to the last byte of the answer
 * @param retrySchedule          delays between failed attempts; after the last one the event is given up
 * @param maxInFlight            attempts running at once, all endpoints together
 * @param maxInFlightPerEndpoint attempts running at once to one host
 * @param allowPrivateHosts      let webhooks go to loopback and private addresses (tests, private deployments);
 *                               link-local and cloud metadata addresses stay refused
 */
public record NotifierConfig(PipelineConfig pipeline, WebhookSecret secret, Duration timeout,
                             List<Duration> retrySchedule, int maxInFlight, int maxInFlightPerEndpoint,
                             boolean allowPrivateHosts) {
    public static final int DEFAULT_OPS_PORT = 3104;
    public static final String DEFAULT_RETRY_SCHEDULE = "5s,30s,2m,10m,30m,1h,2h,4h,8h,8h";

    public static NotifierConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "notifier-service", DEFAULT_OPS_PORT);
        WebhookSecret secret = null;
        String secretText = env.required("WEBHOOK_SECRET", "the key webhooks are signed with, whsec_ followed by the"
                + " base64 of at least 24 random bytes (e.g. echo whsec_$(openssl rand -base64 32))");
        if (secretText != null) {
            try {
                secret = WebhookSecret.parse(secretText);
            } catch (IllegalArgumentException e) {
                env.problem("WEBHOOK_SECRET is not valid: " + e.getMessage());
            }
        }
        NotifierConfig config = new NotifierConfig(pipeline, secret,
                env.duration("WEBHOOK_TIMEOUT", Duration.ofSeconds(10), Duration.ofMillis(100)),
                retrySchedule(env),
                env.integer("WEBHOOK_MAX_IN_FLIGHT", 64, 1, 10_000),
                env.integer("WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", 4, 1, 1_000),
                env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", false));
        env.validate();
        return config;
    }

    /** Comma-separated durations, each read as {@link EnvConfig#duration} reads one; empty: never retry. */
    private static List<Duration> retrySchedule(EnvConfig env) {
        String name = "WEBHOOK_RETRY_SCHEDULE";
        String text = env.raw(name);
        List<Duration> schedule = new ArrayList<>();
        for (String item : (text == null ? DEFAULT_RETRY_SCHEDULE : text).split(",")) {
            if (item.isBlank()) {
                continue;
            }
            EnvConfig one = EnvConfig.of(Map.of(name, item.trim()));
            Duration delay = one.duration(name, null, Duration.ofMillis(1));
            if (!one.problems().isEmpty()) {
                env.problem(name + "=" + text + " is not valid: expected comma-separated durations such as "
                        + DEFAULT_RETRY_SCHEDULE + " (" + item.trim() + " is not one)");
                return List.of();
            }
            schedule.add(delay);
        }
        return List.copyOf(schedule);
    }

    @Override
    public String toString() {
        return "NotifierConfig[timeout=" + timeout + ", retrySchedule=" + retrySchedule + ", maxInFlight="
                + maxInFlight + ", maxInFlightPerEndpoint=" + maxInFlightPerEndpoint + ", allowPrivateHosts="
                + allowPrivateHosts + "]";
    }
}
