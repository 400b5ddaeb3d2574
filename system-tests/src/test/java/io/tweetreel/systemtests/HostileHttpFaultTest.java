package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 6: 1,000 malformed or hostile HTTP requests against the running gateway (loopback only, seeded so a
 * failure reproduces): fuzzed JSON, wrong types, huge bodies, invalid UTF-8, path traversal on /download,
 * header abuse, odd request lines. Not one 5xx; traversal never serves a file; and afterwards a normal job is
 * submitted, followed and downloaded.
 */
@ExtendWith(FaultStackExtension.class)
class HostileHttpFaultTest {
    private static final long SEED = 6_000L;
    private static final int REQUESTS = 1_000;
    private static final String BASE_JSON = "{\"tweetBody\":\"fuzz\",\"profileName\":\"Fuzzer\","
            + "\"username\":\"not valid!\",\"theme\":\"dark\",\"durationSeconds\":999}";
    private static final String PUNCTUATION = "{}[]\",:\\0-e.tfn";
    private static final List<String> FIELDS =
            List.of("tweetBody", "profilePhotoUrl", "profileName", "username", "theme", "durationSeconds");
    private static final List<String> TRAVERSALS = List.of(
            "/download/..%2F..%2Fetc%2Fpasswd",
            "/download/../../pom.xml",
            "/download/..%2F..%2Fpom.xml",
            "/download/%2e%2e%2f%2e%2e%2fpom.xml",
            "/download/....//....//etc/passwd",
            "/download/..%252F..%252Fetc%252Fpasswd",
            "/download/%2Fetc%2Fpasswd",
            "/download//etc/passwd",
            "/download/..\\..\\pom.xml",
            "/download/..%5C..%5Cpom.xml",
            "/download/%00",
            "/download/a%00.mp4",
            "/download/.",
            "/download/..",
            "/download/%2e%2e",
            "/download/2026-11-28_" + "0".repeat(32) + ".mp4/../../../pom.xml",
            "/download/~root",
            "/download/%c0%ae%c0%ae%2fetc%2fpasswd",
            "/download/file:%2F%2F%2Fetc%2Fpasswd",
            "/download/" + "a".repeat(5000) + ".mp4",
            "/../../etc/passwd",
            "/api/jobs/..%2F..%2Fetc%2Fpasswd",
            "/api/jobs/../../pom.xml",
            "/static/../../pom.xml",
            "/%2e%2e/%2e%2e/pom.xml");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String gateway = FaultStackExtension.GATEWAY;
    private final int port = FaultStackExtension.GATEWAY_PORT;

    /** Outcome per category: status code counts, plus -1 for "no response" (connection closed by the server). */
    private final Map<String, Map<Integer, Integer>> outcomes = new TreeMap<>();

    private final List<String> serverErrors = new ArrayList<>();
    private final List<String> served = new ArrayList<>();
    private final List<String> unanswered = new ArrayList<>();
    private final List<String> versionRefusals = new ArrayList<>();
    private static final java.util.regex.Pattern UNSUPPORTED_VERSION =
            java.util.regex.Pattern.compile("^(GET / HTTP/9\\.9|GET  HTTP/1\\.1) -> ");

    @Test
    void thousandHostileRequestsGetNoServerErrorAndTheGatewayKeepsServing() throws Exception {
        Random random = new Random(SEED);
        List<Supplier<Void>> kinds = List.of(
                () -> fuzzedJson(random),
                () -> wrongTypes(random),
                () -> invalidUtf8Body(random),
                () -> headerAbuse(random),
                () -> traversal(random),
                () -> oddRequestLine(random),
                () -> oddJobLookup(random),
                () -> wrongMethod(random));
        int sent = 0;
        // a few huge bodies first (they are the slow ones), then a seeded mix of everything else
        for (int i = 0; i < 12; i++, sent++) {
            hugeBody(random, i);
        }
        for (String path : TRAVERSALS) {
            rawTraversal(path);
            sent++;
        }
        while (sent < REQUESTS) {
            kinds.get(random.nextInt(kinds.size())).get();
            sent++;
        }
        System.out.println("hostile HTTP outcomes (seed " + SEED + "): " + outcomes);
        System.out.println("unanswered: " + unanswered);
        System.out.println("505 for an unsupported HTTP version: " + versionRefusals.size());
        int total = outcomes.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToInt(Integer::intValue)
                .sum();
        assertThat(total).isEqualTo(REQUESTS);
        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(served).as("traversal requests answered with a file").isEmpty();
        // the server may hang up on what it cannot parse, but only on raw protocol abuse, not on HTTP it reads
        assertThat(unanswered)
                .as("requests left without an answer")
                .allMatch(u -> u.startsWith("raw")
                        || u.startsWith("huge")
                        || u.startsWith("header")
                        || u.startsWith("many-headers"));
        assertThat(unanswered.size()).as("unanswered: %s", unanswered).isLessThan(REQUESTS / 10);

        // the gateway still serves a normal job from POST to download, and hostile Ranges on a real file
        String jobId = FaultTestSupport.submit(gateway, FaultTestSupport.request("Still standing after 1,000", 3));
        JsonNode looked = FaultTestSupport.job(gateway, jobId);
        assertThat(looked).isNotNull();
        JsonNode done = FaultTestSupport.awaitCompleted(gateway, jobId, Duration.ofMinutes(4));
        String url = done.at("/result/downloadUrl").asText();
        HttpResponse<byte[]> mp4 =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(mp4.statusCode()).isEqualTo(200);
        assertThat((long) mp4.body().length)
                .isEqualTo(done.at("/result/fileSize").asLong());
        for (String range : List.of(
                "bytes=abc",
                "bytes=-",
                "bytes=5-1",
                "bytes=999999999999-",
                "bytes=0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0",
                "bytes=-99999999999999999999",
                "items=0-10",
                "bytes=0-" + "9".repeat(100),
                "bytes=0-1")) {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Range", range)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as("Range: %s", range).isLessThan(500);
        }
    }

    // ---- request kinds ------------------------------------------------------------------------------------

    private Void fuzzedJson(Random random) {
        int mutations = 1 + random.nextInt(8);
        StringBuilder s = new StringBuilder(BASE_JSON);
        for (int m = 0; m < mutations && s.length() > 0; m++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> s.setLength(at);
                default -> s.insert(at, "[".repeat(1 + random.nextInt(2000)));
            }
        }
        byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
        return post("fuzzed-json", body, "application/json");
    }

    private Void wrongTypes(Random random) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (random.nextInt(4) > 0) {
                tree.put(field, oddValue(random, field));
            }
        }
        String json = toJson(tree);
        if (random.nextInt(10) == 0) {
            json = "[" + json + "]";
        } else if (random.nextInt(10) == 0) {
            json = json + json; // trailing tokens
        }
        return post("wrong-types", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static Object oddValue(Random random, String field) {
        return switch (random.nextInt(14)) {
            case 0 -> 42;
            case 1 -> -1;
            case 2 -> new RawJson("1e400");
            case 3 -> new RawJson("99999999999999999999999999");
            case 4 -> true;
            case 5 -> new RawJson("null");
            case 6 -> List.of("a", 1, false);
            case 7 -> Map.of("nested", Map.of("deeper", field));
            case 8 -> "";
            case 9 -> "x".repeat(2001 + random.nextInt(5000));
            case 10 -> "\u0000\u202e\ud83d\ude00 \\\"<script>alert(1)</script>";
            case 11 -> new RawJson("\"\\ud800\""); // lone surrogate escape
            case 12 -> 3.5;
            default -> new RawJson("{\"$ref\":\"#\"}");
        };
    }

    private Void hugeBody(Random random, int i) {
        int size = (64 * 1024 + 1) + random.nextInt(3 * 1024 * 1024);
        StringBuilder s = new StringBuilder(size + 100);
        s.append("{\"tweetBody\":\"");
        while (s.length() < size) {
            s.append("0123456789abcdef");
        }
        s.append("\",\"profileName\":\"x\",\"username\":\"x\"}");
        byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
        if (i % 3 == 2) {
            // no Content-Length: chunked, so only reading can tell the size
            return send(
                    "huge-chunked",
                    HttpRequest.newBuilder(URI.create(gateway + "/api/generate"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(body))));
        }
        return post("huge", body, "application/json");
    }

    private Void invalidUtf8Body(Random random) {
        byte[][] bad = {
            {(byte) 0xC3, (byte) 0x28},
            {(byte) 0xA0, (byte) 0xA1},
            {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},
            {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0xBC},
            {(byte) 0xFF, (byte) 0xFE},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
        };
        String field = FIELDS.get(random.nextInt(4));
        String json = BASE_JSON.replace("\"" + field + "\":\"", "\"" + field + "\":\"\u0001MARK");
        if (!json.contains("\u0001MARK")) {
            json = "{\"tweetBody\":\"\u0001MARK\"}";
        }
        byte[] prefix = json.substring(0, json.indexOf("\u0001MARK")).getBytes(StandardCharsets.UTF_8);
        byte[] suffix = json.substring(json.indexOf("\u0001MARK") + 5).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.writeBytes(suffix);
        if (random.nextBoolean()) {
            return post("invalid-utf8-body", out.toByteArray(), "application/json; charset=utf-8");
        }
        // invalid UTF-8 in the request line and a header, through a raw socket
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("GET /download/".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(bad[random.nextInt(bad.length)]);
        raw.writeBytes(".mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: ".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(bad[random.nextInt(bad.length)]);
        raw.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return raw("raw-invalid-utf8", raw.toByteArray(), false);
    }

    private Void headerAbuse(Random random) {
        int choice = random.nextInt(7);
        int variant = random.nextInt(1_000);
        try {
            return headerAbuse(choice, variant, random);
        } catch (IllegalArgumentException refusedByTheClient) {
            // a header java.net.http will not send (control or non-ASCII characters): send it raw instead
            return raw(
                    "raw-header",
                    ("POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nIdempotency-Key: \u007f\u00e9\u00ff\r\n"
                                    + "Accept: \u00e9/\u00e9\r\nContent-Length: " + BASE_JSON.length()
                                    + "\r\nConnection: close\r\n\r\n" + BASE_JSON)
                            .getBytes(StandardCharsets.ISO_8859_1),
                    false);
        }
    }

    private Void headerAbuse(int choice, int variant, Random random) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + "/api/generate"));
        String category;
        switch (choice) {
            case 0 -> {
                category = "header-long-value";
                b.header("X-Long", "v".repeat(8 * 1024 + random.nextInt(64 * 1024)));
            }
            case 1 -> {
                category = "bogus-content-type";
                String[] types = {
                    "text/plain",
                    "application/xml",
                    "multipart/form-data; boundary=",
                    "application/json; charset=ebcdic",
                    "application/json; charset=\u00ff",
                    ";;;",
                    "*/*",
                    "application/x-www-form-urlencoded",
                    "application/json" + "; a=b".repeat(2000)
                };
                b.header("Content-Type", types[variant % types.length]);
            }
            case 2 -> {
                category = "many-headers";
                b.header("Content-Type", "application/json");
                for (int h = 0; h < 200 + random.nextInt(300); h++) {
                    b.header("X-H-" + h, Integer.toString(h));
                }
            }
            case 3 -> {
                category = "bad-idempotency-key";
                b.header("Content-Type", "application/json");
                String[] keys = {"", " ", "k".repeat(300), "\u007f", "ключ", "a\tb"};
                b.header("Idempotency-Key", keys[variant % keys.length]);
            }
            case 4 -> {
                category = "range-on-lookup";
                b = HttpRequest.newBuilder(URI.create(gateway + "/download/2026-11-28_"
                        + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()) + ".mp4"));
                String[] ranges = {
                    "bytes=abc", "bytes=-", "bytes=9-1", "bytes=0-0,1-1", "chars=0-1", "bytes=" + "1".repeat(100) + "-"
                };
                b.header("Range", ranges[random.nextInt(ranges.length)]);
                return send(category, b.GET());
            }
            case 5 -> {
                category = "odd-accept";
                b = HttpRequest.newBuilder(URI.create(gateway + "/api/jobs/" + java.util.UUID.randomUUID()));
                b.header("Accept", variant % 2 == 0 ? "text/event-stream;q=abc, */*;q=-1" : "\u00e9/\u00e9");
                b.header("Accept-Encoding", "gzip;q=2, br, zstd, " + "x".repeat(1000));
                return send(category, b.GET());
            }
            default -> {
                category = "header-long-value";
                b.header("Content-Type", "application/json");
                b.header("User-Agent", "u".repeat(16 * 1024));
            }
        }
        return send(category, b.POST(HttpRequest.BodyPublishers.ofString(BASE_JSON)));
    }

    private Void traversal(Random random) {
        String path = TRAVERSALS.get(random.nextInt(TRAVERSALS.size()));
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path));
            if (random.nextBoolean()) {
                b.header("Range", "bytes=0-100");
            }
            return send(
                    "traversal",
                    random.nextInt(4) == 0 ? b.method("HEAD", HttpRequest.BodyPublishers.noBody()) : b.GET(),
                    path);
        } catch (IllegalArgumentException notAUri) {
            return rawTraversal(path);
        }
    }

    private Void rawTraversal(String path) {
        return raw(
                "raw-traversal " + path,
                ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1),
                true);
    }

    private Void oddRequestLine(Random random) {
        String[] lines = {
            "GET / HTTP/9.9",
            "GET /api/jobs/ HTTP/1.1",
            "BREW /api/generate HTTP/1.1",
            "GET  HTTP/1.1",
            "GET /download/x HTTP/1.1 extra",
            "\u0000\u0001\u0002",
            "GET http://evil.example/ HTTP/1.1",
            "GET /?" + "q".repeat(20_000) + " HTTP/1.1",
            "POST /api/generate HTTP/1.0",
            "GET /%zz HTTP/1.1",
            "GET /api/jobs/%ff%fe HTTP/1.1",
            "get /api/openapi.json http/1.1",
            "GET * HTTP/1.1",
            "OPTIONS * HTTP/1.1",
            "TRACE / HTTP/1.1",
            "CONNECT 127.0.0.1:22 HTTP/1.1"
        };
        String line = lines[random.nextInt(lines.length)];
        String[] extra = {
            "",
            "Content-Length: -1\r\n",
            "Content-Length: abc\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
            "Host: \r\nHost: evil\r\n",
            "Content-Type: application/json\r\nContent-Length: 10\r\n",
            "X-Folded: a\r\n  b\r\n",
            "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
        };
        String headers = extra[random.nextInt(extra.length)];
        String body = headers.contains("chunked") && !headers.contains("Content-Length: 5")
                ? "zz\r\nnot hex\r\n0\r\n\r\n"
                : headers.contains("Length: 10") ? "{\"a\":" : "";
        return raw(
                "raw-request-line",
                (line + "\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.ISO_8859_1),
                false);
    }

    private Void oddJobLookup(Random random) {
        String[] ids = {
            "not-a-uuid",
            "00000000-0000-0000-0000-000000000000",
            "%00",
            "x".repeat(4000),
            "'%20OR%201=1--",
            "%7B%7D",
            java.util.UUID.randomUUID().toString().toUpperCase(),
            java.util.UUID.randomUUID() + "%2Fevents",
            "..%2F..",
            "%E2%80%AE",
            "-1",
            "1e400"
        };
        String id = ids[random.nextInt(ids.length)];
        return send(
                "job-lookup",
                HttpRequest.newBuilder(URI.create(gateway + "/api/jobs/" + id)).GET());
    }

    private Void wrongMethod(Random random) {
        String[] paths = {
            "/api/generate", "/api/jobs/" + java.util.UUID.randomUUID(), "/download/x.mp4", "/", "/api/openapi.json"
        };
        String[] methods = {"PUT", "DELETE", "PATCH", "POST", "OPTIONS"};
        String method = methods[random.nextInt(methods.length)];
        String path = paths[random.nextInt(paths.length)];
        if (method.equals("POST") && path.equals("/api/generate")) {
            path = "/api/generate/extra";
        }
        return send(
                "wrong-method",
                HttpRequest.newBuilder(URI.create(gateway + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")));
    }

    // ---- sending ------------------------------------------------------------------------------------------

    private Void post(String category, byte[] body, String contentType) {
        return send(
                category,
                HttpRequest.newBuilder(URI.create(gateway + "/api/generate"))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Void send(String category, HttpRequest.Builder builder) {
        return send(category, builder, null);
    }

    private Void send(String category, HttpRequest.Builder builder, String traversalPath) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
        String what = request.method() + " " + abbreviate(request.uri().toString()) + " " + interestingHeaders(request);
        try {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException staleConnection) {
                // a pooled keep-alive connection the server had already closed: the client's race, not an
                // answer of the server; the same request once more on a fresh connection tells
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            }
            record(category, r.statusCode(), what);
            if (traversalPath != null
                    && leaks(r.body(), r.headers().firstValue("Content-Type").orElse(""))) {
                served.add(traversalPath + " -> " + r.statusCode() + " "
                        + abbreviate(new String(r.body(), StandardCharsets.ISO_8859_1)));
            }
        } catch (IOException e) {
            record(category, -1, what + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static String interestingHeaders(HttpRequest request) {
        StringBuilder s = new StringBuilder();
        for (String h : List.of("Content-Type", "Range", "Idempotency-Key", "Accept")) {
            request.headers()
                    .firstValue(h)
                    .ifPresent(
                            v -> s.append(h).append(": ").append(abbreviate(v)).append("; "));
        }
        return s.toString();
    }

    /** Whether an answer carries a file from outside the download store (or any video for a traversal path). */
    private static boolean leaks(byte[] body, String contentType) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.contains("root:x:0:0")
                || text.contains("<modelVersion>")
                || text.contains("<project")
                || contentType.startsWith("video/");
    }

    /** Sends bytes as they are over a fresh loopback connection and reads the status line of the answer. */
    private Void raw(String category, byte[] request, boolean traversal) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/")) {
                record(category, -1, "no status line: " + abbreviate(text));
                return null;
            }
            int status = Integer.parseInt(text.substring(9, 12));
            record(
                    category,
                    status,
                    new String(request, StandardCharsets.ISO_8859_1)
                                    .lines()
                                    .findFirst()
                                    .map(HostileHttpFaultTest::abbreviate)
                                    .orElse("")
                            + " -> " + abbreviate(text));
            if (traversal && leaks(answer, "")) {
                served.add(category + " -> " + abbreviate(text));
            }
        } catch (SocketTimeoutException e) {
            record(category, -1, "timed out");
        } catch (IOException e) {
            record(category, -1, e.toString());
        }
        return null;
    }

    private void record(String category, int status, String what) {
        String key = category.startsWith("raw-traversal") ? "raw-traversal" : category;
        outcomes.computeIfAbsent(key, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        if (status == 505
                && key.equals("raw-request-line")
                && UNSUPPORTED_VERSION.matcher(what).find()) {
            // 505 HTTP Version Not Supported is what RFC 9110 (15.6.6) prescribes for "HTTP/9.9" or a request
            // line whose version slot holds something else; it is the protocol's answer, not a server fault
            versionRefusals.add(abbreviate(what));
        } else if (status >= 500) {
            serverErrors.add(key + ": " + status + " " + abbreviate(what));
        } else if (status < 0) {
            unanswered.add(key + ": " + abbreviate(what));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static String toJson(Map<String, Object> tree) {
        StringBuilder s = new StringBuilder("{");
        tree.forEach((k, v) -> {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(k).append("\":").append(value(v));
        });
        return s.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof RawJson raw) {
            return raw.text();
        }
        try {
            return FaultTestSupport.JSON.writeValueAsString(v);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record RawJson(String text) {}
}
