package io.tweetreel.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups in the gateway's tables ({@link JobStatusTopology}) through interactive queries (IQv2). The instance
 * that owns a key (Kafka Streams metadata, {@code application.server}) answers it: this one from its local store,
 * another one over HTTP on its internal endpoint, which only ever answers from its own store (no forwarding
 * chains). While the owner is unknown or moving (start-up, rebalance) a lookup retries briefly, then gives up
 * with 503 and Retry-After. Errors of the owner are passed on as they are.
 */
public final class JobStatusStore implements JobQueries {
    static final String INTERNAL_PATH = "/internal/stores/{store}/{key}";
    private static final Logger log = LoggerFactory.getLogger(JobStatusStore.class);
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();
    private static final Set<String> STORES = Set.of(JobStatusTopology.STATUS_STORE, JobStatusTopology.REQUEST_STORE);
    private static final AvroJson<JobStatus> STATUS_JSON = new AvroJson<>(JobStatus.getClassSchema());

    private final HttpClient http;
    private final Duration forwardTimeout;
    private final Duration lookupWait;
    private final MeterRegistry meters;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    public JobStatusStore(Duration forwardTimeout, Duration lookupWait, MeterRegistry meters) {
        this.forwardTimeout = forwardTimeout;
        this.lookupWait = lookupWait;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(forwardTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Starts answering from {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.self = self;
        this.streams = streams;
    }

    @Override
    public Optional<JobStatus> status(String jobId) {
        return lookup(JobStatusTopology.STATUS_STORE, jobId, STATUS_JSON::decode);
    }

    @Override
    public Optional<String> requestFingerprint(String jobId) {
        return lookup(JobStatusTopology.REQUEST_STORE, jobId, Function.identity());
    }

    /** The internal endpoint other instances forward lookups to. */
    public void addTo(JavalinConfig config) {
        config.routes.get(INTERNAL_PATH, this::answerForwarded);
    }

    private <V> Optional<V> lookup(String store, String key, Function<String, V> decodeForwarded) {
        long deadline = System.nanoTime() + lookupWait.toNanos();
        long pause = 20;
        while (true) {
            Attempt<V> attempt = attempt(store, key, decodeForwarded, deadline);
            if (attempt.answered()) {
                meters.counter("gateway.lookups", "store", store, "where", attempt.where()).increment();
                return attempt.value();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                meters.counter("gateway.lookups", "store", store, "where", "unavailable").increment();
                log.warn("lookup of {} in {} gave up: {}", key, store, attempt.why());
                throw Problem.typed(Problem.STORE_UNAVAILABLE, "Temporarily unavailable", 503,
                                "job lookups are unavailable for a moment (the gateway instances are rebalancing); "
                                        + "try again shortly")
                        .withHeader("Retry-After", "1").toException();
            }
            sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(pause * 2, 200);
        }
    }

    private <V> Attempt<V> attempt(String store, String key, Function<String, V> decodeForwarded, long deadline) {
        KafkaStreams current = streams;
        if (current == null) {
            return Attempt.retry("not started");
        }
        KeyQueryMetadata owner;
        try {
            owner = current.queryMetadataForKey(store, key, KEY_SERIALIZER);
        } catch (RuntimeException e) {
            return Attempt.retry("no metadata: " + e.getMessage());
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost() == null
                || owner.activeHost().port() < 0) {
            return Attempt.retry("owner unknown");
        }
        if (owner.activeHost().equals(self)) {
            return queryLocal(current, store, key, owner.partition());
        }
        return forward(owner.activeHost(), store, key, decodeForwarded, deadline);
    }

    private <V> Attempt<V> queryLocal(KafkaStreams current, String store, String key, int partition) {
        try {
            StateQueryRequest<V> request = StateQueryRequest.inStore(store)
                    .withQuery(KeyQuery.<String, V>withKey(key))
                    .withPartitions(Set.of(partition))
                    .requireActive();
            StateQueryResult<V> result = current.query(request);
            QueryResult<V> answer = result.getPartitionResults().get(partition);
            if (answer == null) {
                return Attempt.retry("partition " + partition + " not answered");
            }
            if (answer.isSuccess()) {
                return Attempt.answer(Optional.ofNullable(answer.getResult()), "local");
            }
            return Attempt.retry(answer.getFailureReason() + " " + answer.getFailureMessage());
        } catch (RuntimeException e) {
            return Attempt.retry("local query failed: " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private <V> Attempt<V> forward(HostInfo owner, String store, String key, Function<String, V> decode,
                                   long deadline) {
        long leftMs = Math.max(50, (deadline - System.nanoTime()) / 1_000_000);
        Duration timeout = Duration.ofMillis(Math.min(forwardTimeout.toMillis(), leftMs));
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/internal/stores/" + store + "/" + key);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Attempt.retry("owner " + owner + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.of(503, "interrupted").toException();
        }
        switch (response.statusCode()) {
            case 200:
                try {
                    return Attempt.answer(Optional.of(decode.apply(response.body())), "forwarded");
                } catch (RuntimeException e) {
                    throw Problem.of(502, "the gateway instance owning this job sent an unreadable answer")
                            .toException();
                }
            case 404:
                return Attempt.answer(Optional.empty(), "forwarded");
            case 503:
                return Attempt.retry("owner " + owner + " cannot answer yet");
            default:
                throw ownersError(owner, response);
        }
    }

    /** The owner's own error, as it answered it (a problem document), or a 502 naming what came back. */
    private static Problem.ProblemException ownersError(HostInfo owner, HttpResponse<String> response) {
        log.warn("forwarded lookup to {} answered {}", owner, response.statusCode());
        try {
            Problem remote = Json.MAPPER.readValue(response.body(), Problem.class);
            if (remote.status() == response.statusCode() && remote.title() != null) {
                return new Problem(remote.type() == null ? "about:blank" : remote.type(), remote.title(),
                        remote.status(), remote.detail(), null, remote.errors(), Map.of()).toException();
            }
        } catch (IOException | RuntimeException ignored) {
            // not a problem document: described below
        }
        return Problem.of(502, "the gateway instance owning this job answered HTTP " + response.statusCode())
                .toException();
    }

    /** Answers a forwarded lookup from this instance's own store only: 200, 404, or 503 when not (yet) the owner. */
    private void answerForwarded(Context ctx) {
        String store = ctx.pathParam("store");
        String key = ctx.pathParam("key");
        if (!STORES.contains(store) || !JobIds.isValid(key)) {
            throw Problem.of(404, "no such store or key").toException();
        }
        KafkaStreams current = streams;
        Attempt<Object> attempt;
        if (current == null) {
            attempt = Attempt.retry("not started");
        } else {
            KeyQueryMetadata owner;
            try {
                owner = current.queryMetadataForKey(store, key, KEY_SERIALIZER);
            } catch (RuntimeException e) {
                owner = KeyQueryMetadata.NOT_AVAILABLE;
            }
            attempt = owner != null && self.equals(owner.activeHost())
                    ? queryLocal(current, store, key, owner.partition())
                    : Attempt.retry("not the owner");
        }
        if (!attempt.answered()) {
            throw Problem.typed(Problem.STORE_UNAVAILABLE, "Temporarily unavailable", 503, attempt.why())
                    .withHeader("Retry-After", "1").toException();
        }
        Optional<Object> value = attempt.value();
        if (value.isEmpty()) {
            throw Problem.of(404, "no such key").toException();
        }
        Object found = value.get();
        if (found instanceof JobStatus status) {
            ctx.contentType("application/json").result(STATUS_JSON.encode(status));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(found.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.of(503, "interrupted").toException();
        }
    }

    private record Attempt<V>(boolean answered, Optional<V> value, String where, String why) {
        static <V> Attempt<V> answer(Optional<V> value, String where) {
            return new Attempt<>(true, value, where, null);
        }

        static <V> Attempt<V> retry(String why) {
            return new Attempt<>(false, Optional.empty(), null, why);
        }
    }
}
