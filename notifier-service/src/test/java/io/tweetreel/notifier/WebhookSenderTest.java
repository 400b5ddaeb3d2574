package io.tweetreel.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.core.testing.CountingHttpServer.ReceivedRequest;
import io.tweetreel.notifier.WebhookDispatcher.Attempt;
import io.tweetreel.notifier.WebhookDispatcher.Message;
import io.tweetreel.notifier.WebhookDispatcher.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    /** 32 bytes 0x00..0x1f. */
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));

    private static final String BODY = "{\"type\":\"job.completed\",\"timestamp\":\"2026-11-28T10:00:00Z\","
            + "\"data\":{\"jobId\":\"j1\",\"metadata\":{\"emoji\":\"\u00e9\u2603\"}}}";

    private CountingHttpServer receiver;
    private final CountDownLatch hang = new CountDownLatch(1);

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = CountingHttpServer.start("127.0.0.1", CountingHttpServer.status(204));
    }

    @AfterEach
    void stop() throws IOException {
        hang.countDown();
        receiver.close();
    }

    @Test
    void deliversASignedEventThatVerifiesByTheSpec() {
        WebhookSender sender = sender(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(5), 8, 4);
        long before = Instant.now().getEpochSecond();

        Attempt attempt = sender.send(message(receiver.url("/hooks/reels")));

        assertThat(attempt.result()).isEqualTo(Result.DELIVERED);
        assertThat(attempt.statusCode()).isEqualTo(204);
        assertThat(attempt.error()).isNull();
        ReceivedRequest request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks/reels");
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("webhook-id")).isEqualTo("msg_test");
        assertThat(Long.parseLong(request.header("webhook-timestamp")))
                .isBetween(before, Instant.now().getEpochSecond());
        assertThat(request.bodyText()).isEqualTo(BODY);
        assertThat(verifies(request)).isTrue();
    }

    @Test
    void anEventOfAKeysJobIsSignedWithThatKeysSecret() {
        String keySecret = "whsec_"
                + Base64.getEncoder()
                        .encodeToString("a key's own 32-byte secret here!".getBytes(StandardCharsets.UTF_8));
        WebhookSender sender = new WebhookSender(
                client(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(5)),
                WebhookSecret.parse(SECRET),
                keyId -> keyId.equals("key_withItsSecret")
                        ? java.util.Optional.of(WebhookSecret.parse(keySecret))
                        : java.util.Optional.empty(),
                8,
                4,
                Clock.systemUTC());
        String url = receiver.url("/");

        sender.send(new Message("j1", 1, "msg_a", url, BODY, "key_withItsSecret"));
        sender.send(new Message("j2", 1, "msg_b", url, BODY, "key_withoutSecret"));
        sender.send(new Message("j3", 1, "msg_c", url, BODY, null));

        ReceivedRequest ofTheKey = receiver.requests().get(0);
        assertThat(verifies(ofTheKey, keySecret)).isTrue();
        assertThat(verifies(ofTheKey, SECRET)).isFalse();
        assertThat(verifies(receiver.requests().get(1), SECRET)).isTrue();
        assertThat(verifies(receiver.requests().get(2), SECRET)).isTrue();
    }

    @Test
    void aTamperedBodyOrAnotherSecretDoesNotVerify() {
        sender(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(5), 8, 4).send(message(receiver.url("/")));
        ReceivedRequest real = receiver.requests().get(0);

        ReceivedRequest tampered = new ReceivedRequest(
                real.method(),
                real.path(),
                real.headers(),
                real.bodyText().replace("j1", "j2").getBytes(StandardCharsets.UTF_8));

        assertThat(verifies(real)).isTrue();
        assertThat(verifies(tampered)).isFalse();
        WebhookSender otherKey = new WebhookSender(
                client(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(5)),
                WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[32])),
                8,
                4,
                Clock.systemUTC());
        otherKey.send(message(receiver.url("/")));
        assertThat(verifies(receiver.requests().get(1))).isFalse();
    }

    @Test
    void retryableAfterA500ATimeoutAndARefusedConnectionWithOneWebhookIdThroughout() throws IOException {
        WebhookSender sender = sender(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofMillis(500), 8, 4);

        receiver.setHandler(CountingHttpServer.status(500));
        Attempt serverError = sender.send(message(receiver.url("/")));
        receiver.setHandler((path, out) -> hang.await());
        Attempt timedOut = sender.send(message(receiver.url("/")));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Attempt refused = sender.send(message("http://127.0.0.1:" + closedPort + "/"));
        receiver.setHandler(CountingHttpServer.status(200));
        Attempt delivered = sender.send(message(receiver.url("/")));

        assertThat(serverError.result()).isEqualTo(Result.RETRYABLE);
        assertThat(serverError.statusCode()).isEqualTo(500);
        assertThat(serverError.error()).isEqualTo("HTTP 500");
        assertThat(timedOut.result()).isEqualTo(Result.RETRYABLE);
        assertThat(timedOut.statusCode()).isNull();
        assertThat(timedOut.error()).startsWith("timeout");
        assertThat(timedOut.duration()).isBetween(Duration.ofMillis(400), Duration.ofMillis(1500));
        assertThat(refused.result()).isEqualTo(Result.RETRYABLE);
        assertThat(refused.statusCode()).isNull();
        assertThat(delivered.result()).isEqualTo(Result.DELIVERED);
        assertThat(receiver.requests())
                .hasSize(3)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly("msg_test");
        assertThat(receiver.requests()).allMatch(WebhookSenderTest::verifies);
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws IOException {
        try (CountingHttpServer elsewhere = CountingHttpServer.start("127.0.0.1", CountingHttpServer.status(200))) {
            receiver.setHandler(CountingHttpServer.redirect(elsewhere.url("/")));

            Attempt attempt = sender(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(5), 8, 4)
                    .send(message(receiver.url("/")));

            assertThat(attempt.result()).isEqualTo(Result.RETRYABLE);
            assertThat(attempt.statusCode()).isEqualTo(302);
            assertThat(elsewhere.connections()).isZero();
        }
    }

    @Test
    void metadataAndLocalhostAreRefusedByDefaultWithZeroConnections() {
        SafeHttpClient http = client(AddressPolicy.PUBLIC_ONLY, Duration.ofSeconds(2));
        WebhookSender sender = new WebhookSender(http, WebhookSecret.parse(SECRET), 8, 4, Clock.systemUTC());

        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:" + receiver.port() + "/",
                receiver.url("/"),
                "http://[::1]:" + receiver.port() + "/")) {
            Attempt attempt = sender.send(message(url));
            assertThat(attempt.result()).as(url).isEqualTo(Result.PERMANENT);
            assertThat(attempt.error()).as(url).startsWith("address_not_allowed");
        }
        assertThat(sender.send(message("ftp://example.com/")).result()).isEqualTo(Result.PERMANENT);
        assertThat(sender.send(message("not a url")).result()).isEqualTo(Result.PERMANENT);
        assertThat(receiver.connections()).isZero();
        assertThat(http.connectionAttempts()).isZero();
    }

    @Test
    void metadataStaysRefusedWithPrivateHostsAllowed() {
        SafeHttpClient http = client(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(2));
        WebhookSender sender = new WebhookSender(http, WebhookSecret.parse(SECRET), 8, 4, Clock.systemUTC());

        assertThat(sender.send(message("http://169.254.169.254/latest/")).result())
                .isEqualTo(Result.PERMANENT);
        assertThat(http.connectionAttempts()).isZero();
    }

    @Test
    void aHungEndpointUsesOnlyItsOwnSlotsAndOthersAreDeliveredAtOnce() throws IOException {
        receiver.setHandler((path, out) -> hang.await());
        try (CountingHttpServer healthy = CountingHttpServer.start("127.0.0.2", CountingHttpServer.status(200))) {
            WebhookSender sender = sender(AddressPolicy.PUBLIC_AND_PRIVATE, Duration.ofSeconds(30), 3, 2);
            List<Attempt> done = new CopyOnWriteArrayList<>();

            assertThat(sender.trySend(message(receiver.url("/a")), done::add)).isTrue();
            assertThat(sender.trySend(message(receiver.url("/b")), done::add)).isTrue();
            assertThat(sender.trySend(message(receiver.url("/c")), done::add))
                    .as("per-endpoint limit")
                    .isFalse();
            long started = System.nanoTime();
            assertThat(sender.trySend(message(healthy.url("/")), done::add)).isTrue();
            await().atMost(Duration.ofSeconds(1)).until(() -> done.size() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            assertThat(done.get(0).result()).isEqualTo(Result.DELIVERED);

            assertThat(sender.trySend(message(healthy.url("/")), done::add)).isTrue();
            assertThat(sender.trySend(message(healthy.url("/")), done::add))
                    .as("overall limit, 2 hung + 1")
                    .isFalse();
            await().atMost(Duration.ofSeconds(1)).until(() -> done.size() == 2);
            assertThat(sender.inFlight()).isEqualTo(2);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /**
     * Standard Webhooks 1.0 verification, written from the spec: key = base64-decode(secret without "whsec_"),
     * expected = base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)); the header holds space-separated
     * "v1,<sig>" entries, one of which must match.
     */
    private static boolean verifies(ReceivedRequest request) {
        return verifies(request, SECRET);
    }

    /** Verifies the way a receiver does, Standard Webhooks 1.0, with {@code secret}. */
    private static boolean verifies(ReceivedRequest request, String secret) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            String content =
                    request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.bodyText();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = hmac.doFinal(content.getBytes(StandardCharsets.UTF_8));
            for (String entry : request.header("webhook-signature").split(" ")) {
                String[] versionAndSignature = entry.split(",", 2);
                if (versionAndSignature.length == 2
                        && versionAndSignature[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(versionAndSignature[1]))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Message message(String url) {
        return new Message("j1", 1, "msg_test", url, BODY, null);
    }

    private static WebhookSender sender(AddressPolicy policy, Duration timeout, int maxInFlight, int perEndpoint) {
        return new WebhookSender(
                client(policy, timeout), WebhookSecret.parse(SECRET), maxInFlight, perEndpoint, Clock.systemUTC());
    }

    private static SafeHttpClient client(AddressPolicy policy, Duration timeout) {
        return SafeHttpClient.builder().addressPolicy(policy).timeout(timeout).build();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
