package io.tweetreel.notifier;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import io.tweetreel.core.http.AddressPolicy;
import java.time.Duration;
import java.util.List;

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
public record NotifierConfig(
        PipelineConfig pipeline,
        WebhookSecret secret,
        Duration timeout,
        List<Duration> retrySchedule,
        int maxInFlight,
        int maxInFlightPerEndpoint,
        boolean allowPrivateHosts) {
    public static final int DEFAULT_OPS_PORT = 3104;
    public static final String DEFAULT_RETRY_SCHEDULE = "5s,30s,2m,10m,30m,1h,2h,4h,8h,8h";

    public static final ConfigVariable WEBHOOK_SECRET = ConfigVariable.required(
            "WEBHOOK_SECRET",
            "the key webhooks are signed with, whsec_ followed by the base64 of at least 24 random bytes"
                    + " (e.g. echo whsec_$(openssl rand -base64 32))");
    public static final ConfigVariable WEBHOOK_TIMEOUT = ConfigVariable.withDefault(
            "WEBHOOK_TIMEOUT",
            Duration.ofSeconds(10),
            "longest one delivery attempt may take, DNS to the last byte of the answer");
    public static final ConfigVariable WEBHOOK_RETRY_SCHEDULE = ConfigVariable.withDefault(
            "WEBHOOK_RETRY_SCHEDULE",
            DEFAULT_RETRY_SCHEDULE,
            "delays between failed delivery attempts; after the last one the event is given up");
    public static final ConfigVariable WEBHOOK_MAX_IN_FLIGHT = ConfigVariable.withDefault(
            "WEBHOOK_MAX_IN_FLIGHT", 64, "delivery attempts running at once, all endpoints together");
    public static final ConfigVariable WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = ConfigVariable.withDefault(
            "WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", 4, "delivery attempts running at once to one host");
    public static final ConfigVariable WEBHOOK_ALLOW_PRIVATE_HOSTS = ConfigVariable.withDefault(
            "WEBHOOK_ALLOW_PRIVATE_HOSTS",
            false,
            "let webhooks go to loopback and private addresses (tests); link-local and metadata stay refused");
    /** Every variable the notifier service reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_OPS_PORT),
            List.of(
                    WEBHOOK_SECRET,
                    WEBHOOK_TIMEOUT,
                    WEBHOOK_RETRY_SCHEDULE,
                    WEBHOOK_MAX_IN_FLIGHT,
                    WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT,
                    WEBHOOK_ALLOW_PRIVATE_HOSTS));

    public static NotifierConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "notifier-service", DEFAULT_OPS_PORT);
        WebhookSecret secret = null;
        String secretText = env.required(WEBHOOK_SECRET);
        if (secretText != null) {
            try {
                secret = WebhookSecret.parse(secretText);
            } catch (IllegalArgumentException e) {
                env.problem("WEBHOOK_SECRET is not valid: " + e.getMessage());
            }
        }
        NotifierConfig config = new NotifierConfig(
                pipeline,
                secret,
                env.duration(WEBHOOK_TIMEOUT, Duration.ofMillis(100)),
                env.durations(WEBHOOK_RETRY_SCHEDULE, Duration.ofMillis(1)),
                env.integer(WEBHOOK_MAX_IN_FLIGHT, 1, 10_000),
                env.integer(WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, 1, 1_000),
                env.bool(WEBHOOK_ALLOW_PRIVATE_HOSTS));
        env.validate();
        return config;
    }

    /** Where webhooks may go: public addresses only, unless {@code WEBHOOK_ALLOW_PRIVATE_HOSTS} says otherwise. */
    public AddressPolicy addressPolicy() {
        return allowPrivateHosts ? AddressPolicy.PUBLIC_AND_PRIVATE : AddressPolicy.PUBLIC_ONLY;
    }

    @Override
    public String toString() {
        return "NotifierConfig[timeout=" + timeout + ", retrySchedule=" + retrySchedule + ", maxInFlight="
                + maxInFlight + ", maxInFlightPerEndpoint=" + maxInFlightPerEndpoint + ", allowPrivateHosts="
                + allowPrivateHosts + "]";
    }
}
