package io.tweetreel.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tweetreel.core.http.SafeHttpException.Reason;
import io.tweetreel.core.testing.CountingHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeHttpClientTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private CountingHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = CountingHttpServer.start("127.0.0.1", CountingHttpServer.ok("text/plain", HELLO));
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    // ---- addresses ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.0.1",
                "100.64.0.1",
                "169.254.169.254",
                "224.0.0.1",
                "0.0.0.0",
                "2130706433",
                "[::1]",
                "[::]",
                "[fc00::1]",
                "[fe80::1]",
                "[ff02::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:10.0.0.1]",
                "[::ffff:a9fe:a9fe]"
            })
    void refusesInternalLiteralsBeforeConnecting(String host) {
        SafeHttpClient client = SafeHttpClient.builder().build();

        assertFailure(client, "http://" + host + ":" + server.port() + "/", Reason.ADDRESS_NOT_ALLOWED);
        assertThat(client.connectionAttempts()).isZero();
        assertThat(server.connections()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "10.0.0.1",
                "100.64.0.1",
                "169.254.169.254",
                "0.0.0.0",
                "::1",
                "fd12::1",
                "fe80::1",
                "::ffff:127.0.0.1",
                "64:ff9b::a00:1"
            })
    void refusesNamesThatResolveToInternalAddresses(String address) {
        SafeHttpClient client = SafeHttpClient.builder()
                .resolver(dns(Map.of("photos.example", address)))
                .build();

        SafeHttpException failure =
                assertFailure(client, "http://photos.example:" + server.port() + "/", Reason.ADDRESS_NOT_ALLOWED);

        assertThat(failure.getMessage()).startsWith("photos.example resolves to ");
        assertThat(server.connections()).isZero();
        assertThat(client.connectionAttempts()).isZero();
    }

    @Test
    void refusesANameWithOnePublicAndOneInternalRecord() throws Exception {
        InetAddress[] records = {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")};
        SafeHttpClient client =
                SafeHttpClient.builder().resolver(host -> records).build();

        assertFailure(client, "http://mixed.example:" + server.port() + "/", Reason.ADDRESS_NOT_ALLOWED);
        assertThat(server.connections()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "169.254.169.254",
                "169.254.170.2",
                "100.100.100.200",
                "168.63.129.16",
                "192.0.0.192",
                "fd00:ec2::254",
                "fd20:ce::254",
                "fd00:c1::a9fe:a9fe",
                "::ffff:100.100.100.200",
                "64:ff9b::6464:64c8"
            })
    void refusesCloudMetadataEvenWithPrivateHostsAllowedOrAPolicyThatAllowsEverything(String address) {
        for (AddressPolicy policy : new AddressPolicy[] {AddressPolicy.PUBLIC_AND_PRIVATE, anything -> null}) {
            SafeHttpClient client = SafeHttpClient.builder()
                    .addressPolicy(policy)
                    .resolver(dns(Map.of("metadata.example", address)))
                    .timeout(Duration.ofMillis(500))
                    .build();
            String literal = address.contains(":") ? "[" + address + "]" : address;

            assertFailure(client, "http://" + literal + "/latest/meta-data/", Reason.ADDRESS_NOT_ALLOWED);
            assertFailure(client, "http://metadata.example/latest/meta-data/", Reason.ADDRESS_NOT_ALLOWED);
            assertThat(client.connectionAttempts()).isZero();
        }
    }

    @Test
    void privateHostsAllowedReachesTheLoopbackServerByLiteralAndByName() throws Exception {
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .resolver(dns(Map.of("photos.example", "127.0.0.1")))
                .build();

        SafeHttpClient.Response byLiteral = client.get(server.url("/a"), Map.of());
        SafeHttpClient.Response byName = client.get("http://photos.example:" + server.port() + "/b", Map.of());

        assertThat(byLiteral.status()).isEqualTo(200);
        assertThat(byLiteral.body()).isEqualTo(HELLO);
        assertThat(byLiteral.header("Content-Type")).isEqualTo("text/plain");
        assertThat(byName.body()).isEqualTo(HELLO);
        assertThat(server.paths()).containsExactly("/a", "/b");
    }

    @Test
    void theSocketGuardRefusesAnUncheckedAddressWithoutConnecting() {
        // OkHttp connects to IP literals without asking its Dns: this guard holds even if a check upstream is missed.
        GuardedSocketFactory sockets = new GuardedSocketFactory(AddressPolicy.PUBLIC_ONLY);

        assertThatThrownBy(() -> {
                    try (Socket socket = sockets.createSocket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
                    }
                })
                .isInstanceOf(GuardedSocketFactory.RefusedAddressException.class)
                .hasMessageContaining("loopback");
        assertThat(sockets.connectionAttempts()).isZero();
        assertThat(server.connections()).isZero();
    }

    // ---- URLs and redirects ----------------------------------------------------------------------------------

    @Test
    void refusesOtherSchemesAndCredentials() {
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .build();

        assertFailure(client, "file:///etc/passwd", Reason.SCHEME_NOT_ALLOWED);
        assertFailure(client, "ftp://" + server.hostLiteral() + ":" + server.port() + "/", Reason.SCHEME_NOT_ALLOWED);
        assertFailure(
                client, "http://user:secret@" + server.hostLiteral() + ":" + server.port() + "/", Reason.INVALID_URL);
        assertThat(server.connections()).isZero();
    }

    @Test
    void rechecksEveryRedirectHopWithoutConnectingToARefusedOne() throws Exception {
        // 127.0.0.1 plays a public host; 127.0.0.2 plays the internal service it redirects to.
        try (CountingHttpServer internal =
                CountingHttpServer.start("127.0.0.2", CountingHttpServer.ok("text/plain", HELLO))) {
            AddressPolicy onlyTheServerIsPublic = address ->
                    address.getHostAddress().equals("127.0.0.1") ? null : AddressPolicy.PUBLIC_ONLY.refusal(address);
            SafeHttpClient client = SafeHttpClient.builder()
                    .addressPolicy(onlyTheServerIsPublic)
                    .resolver(dns(Map.of("internal.example", "127.0.0.2")))
                    .build();

            for (String location : new String[] {
                internal.url("/secret"),
                "http://internal.example:" + internal.port() + "/secret",
                "http://169.254.169.254/latest/meta-data/"
            }) {
                server.setHandler(CountingHttpServer.redirect(location));
                assertFailure(client, server.url("/start"), Reason.ADDRESS_NOT_ALLOWED);
            }
            server.setHandler(CountingHttpServer.redirect("http://user:pw@internal.example/"));
            assertFailure(client, server.url("/start"), Reason.INVALID_URL);
            server.setHandler(CountingHttpServer.redirect("file:///etc/passwd"));
            assertFailure(client, server.url("/start"), Reason.SCHEME_NOT_ALLOWED);

            assertThat(server.connections()).isEqualTo(5);
            assertThat(internal.connections()).isZero();
        }
    }

    @Test
    void followsRedirectsUpToTheLimit() throws Exception {
        server.setHandler((path, out) -> {
            int hop = Integer.parseInt(path.substring(1));
            (hop == 0 ? CountingHttpServer.ok("text/plain", HELLO) : CountingHttpServer.redirect("/" + (hop - 1)))
                    .respond(path, out);
        });
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .maxRedirects(2)
                .build();

        SafeHttpClient.Response twoRedirects = client.get(server.url("/2"), Map.of());

        assertThat(twoRedirects.body()).isEqualTo(HELLO);
        assertThat(twoRedirects.url()).isEqualTo(server.url("/0"));
        assertFailure(client, server.url("/3"), Reason.TOO_MANY_REDIRECTS);
    }

    // ---- limits ----------------------------------------------------------------------------------------------

    @Test
    void abandonsAnEndlessBodyAsSoonAsItPassesTheCap() {
        server.setHandler((path, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            while (true) { // until the client hangs up
                out.write(chunk);
            }
        });
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .maxBytes(64 * 1024)
                .timeout(Duration.ofSeconds(30))
                .build();

        long started = System.nanoTime();
        SafeHttpException failure = assertFailure(client, server.url("/endless"), Reason.TOO_LARGE);

        assertThat(failure.getMessage()).contains("65536");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void capsTheUnzippedSizeOfACompressedBody() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(new byte[1024 * 1024]);
        }
        server.setHandler((path, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + zipped.size() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(zipped.toByteArray());
        });
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .maxBytes(64 * 1024)
                .build();

        assertThat(zipped.size()).isLessThan(64 * 1024);
        assertFailure(client, server.url("/bomb"), Reason.TOO_LARGE);
    }

    @Test
    void refusesADeclaredOversizedBodyWithoutReadingIt() {
        server.setHandler((path, out) -> out.write(
                ("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .maxBytes(1024)
                .build();

        assertThat(assertFailure(client, server.url("/huge"), Reason.TOO_LARGE).getMessage())
                .contains("Content-Length 1000000000");
    }

    @Test
    void theDeadlineIncludesASlowResolver() {
        CountDownLatch never = new CountDownLatch(1);
        HostResolver slowDns = host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        };
        SafeHttpClient client = SafeHttpClient.builder()
                .resolver(slowDns)
                .timeout(Duration.ofMillis(500))
                .build();
        try {
            long started = System.nanoTime();
            assertFailure(client, "http://slow-dns.example/", Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofMillis(450), Duration.ofMillis(2000));
        } finally {
            never.countDown();
        }
    }

    @Test
    void theDeadlineCoversEveryHop() {
        // The first hop takes 400 ms of a 700 ms deadline; the second hop's resolver alone would take 2 s.
        server.setHandler((path, out) -> {
            Thread.sleep(400);
            CountingHttpServer.redirect("http://slow-dns.example/").respond(path, out);
        });
        HostResolver slowForTheSecondHop = host -> {
            if (host.equals("slow-dns.example")) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        };
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .resolver(slowForTheSecondHop)
                .timeout(Duration.ofMillis(700))
                .build();

        long started = System.nanoTime();
        assertFailure(client, server.url("/first"), Reason.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(Duration.ofMillis(650), Duration.ofMillis(1500));
    }

    // ---- POST --------------------------------------------------------------------------------------------------

    @Test
    void postSendsTheBodyAndHeadersAndReturnsTheAnswer() throws Exception {
        server.setHandler(CountingHttpServer.ok("text/plain", HELLO));
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .build();
        byte[] json = "{\"type\":\"job.completed\"}".getBytes(StandardCharsets.UTF_8);

        SafeHttpClient.Response response = client.post(
                server.url("/hook"), Map.of("Content-Type", "application/json", "webhook-id", "msg_1"), json);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HELLO);
        CountingHttpServer.ReceivedRequest received = server.requests().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/hook");
        assertThat(received.header("content-type")).isEqualTo("application/json");
        assertThat(received.header("webhook-id")).isEqualTo("msg_1");
        assertThat(received.body()).isEqualTo(json);
    }

    @Test
    void postNeverFollowsARedirectItIsJustTheAnswer() throws Exception {
        try (CountingHttpServer elsewhere =
                CountingHttpServer.start("127.0.0.1", CountingHttpServer.ok("text/plain", HELLO))) {
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                server.setHandler((path, out) -> out.write(("HTTP/1.1 " + status + " Moved\r\nLocation: "
                                + elsewhere.url("/new") + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                SafeHttpClient client = SafeHttpClient.builder()
                        .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                        .build();

                SafeHttpClient.Response response = client.post(server.url("/hook"), Map.of(), HELLO);

                assertThat(response.status()).isEqualTo(status);
                assertThat(response.header("location")).isEqualTo(elsewhere.url("/new"));
            }
            assertThat(elsewhere.connections()).isZero();
        }
    }

    @Test
    void postRefusesInternalAddressesWithoutConnecting() {
        SafeHttpClient client = SafeHttpClient.builder().build();
        SafeHttpClient privateAllowed = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .resolver(dns(Map.of("metadata.example", "169.254.169.254")))
                .build();

        for (String url : new String[] {server.url("/hook"), "http://localhost:" + server.port() + "/hook"}) {
            SafeHttpException failure =
                    catchThrowableOfType(SafeHttpException.class, () -> client.post(url, Map.of(), HELLO));
            assertThat(failure.reason()).as(url).isEqualTo(Reason.ADDRESS_NOT_ALLOWED);
        }
        SafeHttpException metadata = catchThrowableOfType(
                SafeHttpException.class, () -> privateAllowed.post("http://metadata.example/hook", Map.of(), HELLO));
        assertThat(metadata.reason()).isEqualTo(Reason.ADDRESS_NOT_ALLOWED);
        assertThat(server.connections()).isZero();
        assertThat(client.connectionAttempts() + privateAllowed.connectionAttempts())
                .isZero();
    }

    @Test
    void postGivesUpAtTheDeadlineOnAReceiverThatNeverAnswers() {
        CountDownLatch never = new CountDownLatch(1);
        server.setHandler((path, out) -> never.await());
        SafeHttpClient client = SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .timeout(Duration.ofMillis(500))
                .build();
        try {
            long started = System.nanoTime();
            SafeHttpException failure = catchThrowableOfType(
                    SafeHttpException.class, () -> client.post(server.url("/hook"), Map.of(), HELLO));

            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofMillis(450), Duration.ofMillis(1500));
        } finally {
            never.countDown();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static SafeHttpException assertFailure(SafeHttpClient client, String url, Reason expected) {
        SafeHttpException failure = catchThrowableOfType(SafeHttpException.class, () -> client.get(url, Map.of()));
        assertThat(failure).as("failure for " + url).isNotNull();
        assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(expected);
        return failure;
    }

    /** Fake DNS: only the given names resolve. IP literals never get here (the client parses them itself). */
    private static HostResolver dns(Map<String, String> records) {
        return host -> {
            String address = records.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
    }
}
