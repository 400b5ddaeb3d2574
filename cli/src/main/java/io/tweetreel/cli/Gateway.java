package io.tweetreel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The gateway's HTTP API as the client uses it. Every error status becomes a {@link ServerProblem}, every failure to
 * talk to the gateway a {@link GatewayUnreachable}; nothing else escapes.
 */
final class Gateway {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Until the answer's headers: the cancel endpoint itself waits up to ~2 s for the job to stop. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final String server;
    private final Credential credential;
    private final HttpClient http;

    /** A client of {@code server} that sends {@code credential} (if present) with every request to it. */
    Gateway(URI server, Credential credential) {
        this.server = server.toString().replaceAll("/+$", "");
        this.credential = credential;
        // HTTP/1.1: event streams and downloads need nothing more, and some proxies mishandle an h2c upgrade
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    String server() {
        return server;
    }

    JsonNode get(String path) {
        return json(send(request(path).GET().build()));
    }

    JsonNode post(String path, JsonNode body) {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return json(send(request));
    }

    /** A POST without a body, such as a cancel. */
    JsonNode post(String path) {
        return json(send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    JsonNode delete(String path) {
        return json(send(request(path).DELETE().build()));
    }

    /**
     * Reads the Server-Sent Events at {@code path}, handing each to {@code onEvent}, until the server ends the stream
     * or {@code onEvent} answers false.
     */
    void events(String path, Predicate<ServerEvent> onEvent) {
        HttpRequest request =
                request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = send(request);
        try (InputStream body = response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            ServerEvent.read(lines, onEvent);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * Downloads {@code url} to {@code target} through {@code target.part}, so a file at target is always whole.
     * Without the credential: downloads need none, and the URL may name another host (the gateway's BASE_URL).
     */
    void download(URI url, Path target) {
        HttpResponse<InputStream> response =
                send(HttpRequest.newBuilder(url).timeout(ANSWER_TIMEOUT).GET().build());
        Path part = partFile(target);
        try (InputStream body = response.body()) {
            Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(part);
            throw unreachable(e);
        }
    }

    /** Where {@link #download} writes before the file is whole. */
    static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover .part file is harmless and named as such; the download's own error is the one to report
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(ANSWER_TIMEOUT)
                .header("Accept", "application/json");
        credential.authorization().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /** Sends, and answers the response only for a 2xx status; its body is a stream the caller must close. */
    private HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnreachable("interrupted while waiting for " + request.uri(), e);
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        JsonNode problem = null;
        try (InputStream body = response.body()) {
            byte[] bytes = body.readAllBytes();
            if (response.headers().firstValue("Content-Type").orElse("").contains("json")) {
                problem = JSON.readTree(bytes);
            }
        } catch (IOException e) {
            // no readable problem document: the status alone is reported
        }
        if (response.statusCode() == 401) {
            throw ServerProblem.unauthorized(credential, problem);
        }
        if (response.statusCode() == 429) {
            throw ServerProblem.limited(
                    response.headers().firstValue("Retry-After").orElse(null), problem);
        }
        throw ServerProblem.of(response.statusCode(), request.method() + " " + request.uri(), problem);
    }

    private JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readAllBytes();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ServerProblem.unreadable(response.statusCode(), "an answer that is not JSON to " + response.uri());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private GatewayUnreachable unreachable(IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new GatewayUnreachable(
                "cannot reach the gateway at " + server + " (" + why + "); start one with ./tweetreel up, or point"
                        + " --server (or TWEETREEL_SERVER) at yours",
                e);
    }
}
