package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.gateway.KeyLimits.Admission;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the gateway instance that owns a key to admit a request ({@link PeerLimitEndpoint}), with the limits this
 * instance knows. Anything but the owner's admission (unreachable, too slow, "not the owner", an unreadable
 * answer) is a {@link TemporarilyUnavailableException}: the caller then decides alone with its share.
 */
public final class PeerLimits implements SharedKeyLimits.Peers {
    private static final Duration RETRY_AFTER = PeerHttp.RETRY_AFTER;

    private final PeerHttp http;

    /** @param http calls bounded by the forward timeout of lookups ({@code GATEWAY_FORWARD_TIMEOUT}) */
    public PeerLimits(PeerHttp http) {
        this.http = http;
    }

    @Override
    public Admission admit(HostInfo owner, String keyId, KeyRates rates, int cost) {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(rates);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key rates always serialise", e);
        }
        HttpResponse<String> response =
                http.send(PeerHttp.request(owner, PeerLimitEndpoint.path(keyId) + "?cost=" + cost, http.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        if (response.statusCode() != 200) {
            throw new TemporarilyUnavailableException(
                    "owner " + owner + " answered HTTP " + response.statusCode(), RETRY_AFTER);
        }
        try {
            return Json.MAPPER.readValue(response.body(), Admission.class);
        } catch (IOException e) {
            throw new TemporarilyUnavailableException("owner " + owner + " sent an unreadable admission", RETRY_AFTER);
        }
    }
}
