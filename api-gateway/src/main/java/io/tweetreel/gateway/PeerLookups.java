package io.tweetreel.gateway;

import io.tweetreel.core.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the gateway instance that owns a key (or, when that one is gone, one keeping a standby replica of it) for
 * it, on that instance's {@link PeerLookupEndpoint}. "Not yet" (unreachable, a {@link PeerUnreachableException}, or
 * it answered 503) is a {@link TemporarilyUnavailableException} the caller retries; any other
 * error of the owner is passed on as the owner answered it.
 */
public final class PeerLookups {
    private static final Logger log = LoggerFactory.getLogger(PeerLookups.class);
    private static final Duration RETRY_AFTER = PeerHttp.RETRY_AFTER;

    private final PeerHttp http;

    public PeerLookups(PeerHttp http) {
        this.http = http;
    }

    /** The owner's value for the key, empty when it has none; waits at most {@code left} or the peer timeout. */
    public <V> Optional<V> lookup(HostInfo owner, String store, String key, Duration left, Function<String, V> decode) {
        return ask(owner, PeerLookupEndpoint.path(store, key), left, decode);
    }

    /**
     * A standby's value for the key (its copy of the key's partition, active or standby), asked when the owner
     * does not answer; as {@link #lookup} otherwise.
     */
    public <V> Optional<V> lookupReplica(
            HostInfo standby, String store, String key, Duration left, Function<String, V> decode) {
        return ask(standby, PeerLookupEndpoint.replicaPath(store, key), left, decode);
    }

    private <V> Optional<V> ask(HostInfo owner, String path, Duration left, Function<String, V> decode) {
        Duration wait = left.compareTo(http.timeout()) < 0 ? left : http.timeout();
        HttpResponse<String> response =
                http.send(PeerHttp.request(owner, path, wait).GET().build());
        switch (response.statusCode()) {
            case 200:
                try {
                    return Optional.of(decode.apply(response.body()));
                } catch (RuntimeException e) {
                    throw Problem.of(502, "the gateway instance owning this job sent an unreadable answer")
                            .toException();
                }
            case 404:
                return Optional.empty();
            case 503:
                throw new TemporarilyUnavailableException("owner " + owner + " cannot answer yet", RETRY_AFTER);
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
                return new Problem(
                                remote.type() == null ? "about:blank" : remote.type(),
                                remote.title(),
                                remote.status(),
                                remote.detail(),
                                null,
                                remote.errors(),
                                Map.of())
                        .toException();
            }
        } catch (IOException | RuntimeException notAProblemDocument) {
            // described below by its status alone
        }
        return Problem.of(502, "the gateway instance owning this job answered HTTP " + response.statusCode())
                .toException();
    }
}
