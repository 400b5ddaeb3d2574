package io.tweetreel.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * HTTP from one gateway instance to the instance that owns a key ({@link PeerLookups}, {@link PeerLimits}):
 * HTTP/1.1, no redirects (a peer answers itself), connecting within the forward timeout. A call that gets no answer
 * (unreachable, too slow) is a {@link PeerUnreachableException}, an interrupted one a
 * {@link TemporarilyUnavailableException}: the owner may answer shortly, or another instance own the key by then.
 * What an answer means is the caller's.
 */
public final class PeerHttp {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout bound on one call, connect and answer (the forward timeout, {@code GATEWAY_FORWARD_TIMEOUT}) */
    public PeerHttp(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Duration timeout() {
        return timeout;
    }

    /** A request to {@code pathAndQuery} on {@code owner}, answering within {@code wait}. */
    static HttpRequest.Builder request(HostInfo owner, String pathAndQuery, Duration wait) {
        return HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .timeout(wait);
    }

    /** The peer's answer, whatever its status; unavailable when none came. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerUnreachableException(
                    "owner " + request.uri().getAuthority() + " unreachable: " + e, RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporarilyUnavailableException("interrupted", RETRY_AFTER);
        }
    }
}
