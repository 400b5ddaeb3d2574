package io.tweetreel.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tweetreel up --auth}, after the gateway is ready: makes the stack's first API key ({@code POST /admin/keys},
 * name {@code dev}) unless {@code api-key} in the state directory already holds one, writes it there (mode 600, where
 * the command-line client looks) and announces it once. Starts once the services before it are ready (so the
 * gateway is); stops nothing.
 */
final class FirstApiKey implements StackComponent {
    static final String KEY_NAME = "dev";
    /** A gateway that has only just turned ready may answer 503 for a moment: worth waiting out, briefly. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** An API key as the gateway makes it: trk_ and base62, so it needs no JSON unescaping. */
    private static final Pattern KEY_IN_ANSWER = Pattern.compile("\"key\"\\s*:\\s*\"(trk_[A-Za-z0-9]+)\"");

    private final URI adminKeys;
    private final String adminToken;
    private final Path keyFile;
    private final Consumer<String> announce;

    /**
     * @param gateway    the gateway's base URL, e.g. {@code http://127.0.0.1:3000}
     * @param adminToken the gateway's ADMIN_TOKEN
     * @param keyFile    where the key is kept, e.g. {@code .tweetreel/api-key}
     * @param announce   receives the one line that shows the key
     */
    FirstApiKey(String gateway, String adminToken, Path keyFile, Consumer<String> announce) {
        this.adminKeys = URI.create(gateway + "/admin/keys");
        this.adminToken = adminToken;
        this.keyFile = keyFile;
        this.announce = announce;
    }

    @Override
    public String name() {
        return "api-key";
    }

    /** It calls the gateway. */
    @Override
    public boolean needsEarlierComponents() {
        return true;
    }

    @Override
    public String start(StackEndpoints endpoints) throws Exception {
        if (Files.exists(keyFile)) {
            return "kept in " + keyFile;
        }
        String key = create();
        TweetReelCli.writeOwnerOnly(keyFile, key);
        announce.accept("API key (shown once, also in " + keyFile + "): " + key);
        return "new key '" + KEY_NAME + "' in " + keyFile;
    }

    private String create() throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(adminKeys)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + KEY_NAME + "\"}", StandardCharsets.UTF_8))
                .build();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                Matcher key = KEY_IN_ANSWER.matcher(response.body());
                if (!key.find()) {
                    throw new IllegalStateException("POST " + adminKeys + " answered 201 without a key");
                }
                return key.group(1);
            }
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not make the first API key: POST " + adminKeys
                        + " answered " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void stop() {
        // the key outlives the stack: it is kept in the gateway's key topic and in the key file
    }
}
