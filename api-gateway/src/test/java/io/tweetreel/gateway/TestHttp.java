package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for the tests: JSON helpers and raw socket requests for hostile input. */
final class TestHttp {
    final String base;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    TestHttp(String base) {
        this.base = base;
    }

    HttpResponse<byte[]> send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path) {
        return send("GET", path, Map.of(), null);
    }

    HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    HttpResponse<byte[]> postJson(String path, String json) {
        return sendJson("POST", path, Map.of(), json);
    }

    HttpResponse<byte[]> postJson(String path, String json, String idempotencyKey) {
        return sendJson("POST", path, Map.of("Idempotency-Key", idempotencyKey), json);
    }

    /** {@code json} as the body with its Content-Type (no body when null), and {@code headers} besides. */
    HttpResponse<byte[]> sendJson(String method, String path, Map<String, String> headers, String json) {
        if (json == null) {
            return send(method, path, headers, null);
        }
        Map<String, String> withType = new LinkedHashMap<>(headers);
        withType.put("Content-Type", "application/json");
        return send(method, path, withType, json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Sends bytes as they are (no client-side URL or header checks); returns the status line's code. */
    int raw(byte[] request) {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }
}
