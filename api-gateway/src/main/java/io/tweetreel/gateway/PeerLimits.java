package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.gateway.KeyLimits.Admission;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the gateway instance that owns a key to admit a request ({@link PeerLimitEndpoint}), with the limits this
 * instance knows. Anything but the owner's admission (unreachable, too slow, "not the owner", an unreadable
 * answer) is a {@link TemporarilyUnavailableException}: the caller then decides alone with its share.
 */
public final class PeerLimits implements SharedKeyLimits.Peers {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout bound on one call (the forward timeout of lookups, {@code GATEWAY_FORWARD_TIMEOUT}) */
    public PeerLimits(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Admission admit(HostInfo owner, String keyId, KeyRates rates, int cost) {
        URI uri = URI.create(
                "http://" + owner.host() + ":" + owner.port() + PeerLimitEndpoint.path(keyId) + "?cost=" + cost);
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(rates)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key rates always serialise", e);
        } catch (IOException e) {
            throw new TemporarilyUnavailableException("owner " + owner + " unreachable: " + e, RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporarilyUnavailableException("interrupted", RETRY_AFTER);
        }
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
