package io.tweetreel.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in gateway on a loopback port: each "METHOD /path" answers what the test put there, in turn (the last
 * answer repeats), and every request is recorded.
 */
final class FakeGateway implements AutoCloseable {
    /** A request; {@code authorization} is its Authorization header, null when it had none. */
    record Received(String method, String path, String body, String authorization) {}

    /** One answer: a status, a content type and a body, or a handler that writes the exchange itself. */
    interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> served = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeGateway on(String methodAndPath, Answer... inTurn) {
        answers.put(methodAndPath, List.of(inTurn));
        return this;
    }

    List<Received> received(String method, String path) {
        return received.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    static Answer json(int status, String body) {
        return text(status, "application/json", body);
    }

    static Answer problem(int status, String body) {
        return text(status, "application/problem+json", body);
    }

    /** {@code answer} with one more response header, e.g. Retry-After. */
    static Answer withHeader(String name, String value, Answer answer) {
        return exchange -> {
            exchange.getResponseHeaders().set(name, value);
            answer.write(exchange);
        };
    }

    static Answer bytes(byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** An event stream of {@code status} events with these job JSONs, then the end of the stream. */
    static Answer events(String... jobs) {
        StringBuilder stream = new StringBuilder("retry: 2000\n\n: keep-alive\n\n");
        for (String job : jobs) {
            stream.append("event: status\nid: 1\ndata: ").append(job).append("\n\n");
        }
        return text(200, "text/event-stream", stream.toString());
    }

    static Answer text(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key =
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                body,
                exchange.getRequestHeaders().getFirst("Authorization")));
        List<Answer> inTurn = answers.get(key);
        if (inTurn == null) {
            problem(
                            404,
                            "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route "
                                    + key + "\"}")
                    .write(exchange);
            return;
        }
        int n = served.merge(key, 1, Integer::sum) - 1;
        inTurn.get(Math.min(n, inTurn.size() - 1)).write(exchange);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
