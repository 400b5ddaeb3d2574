package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.HostResolver;
import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.renderer.ImageFetchResult.Failure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFetcherTest {

    /** The smallest valid WebP (1x1 lossless), as used by browser feature detection. */
    private static final byte[] WEBP_1X1 =
            Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    private CountingHttpServer loopbackServer;

    @BeforeEach
    void startServer() throws IOException {
        loopbackServer = CountingHttpServer.start(
                "127.0.0.1", CountingHttpServer.ok("image/png", TestImages.encoded("png", 64, 64)));
    }

    @AfterEach
    void stopServer() throws IOException {
        loopbackServer.close();
    }

    // ---- SSRF: refused before any connection ----------------------------------------------------------------

    @Test
    void refusesLoopbackLiteral() {
        ImageFetcher fetcher = new ImageFetcher(false);

        ImageFetchResult result = fetcher.fetch(loopbackServer.url("/a.png"));

        assertRefused(result, Failure.ADDRESS_NOT_ALLOWED, fetcher);
        assertThat(result.detail()).contains("127.0.0.1").contains("loopback");
        assertThat(loopbackServer.connections()).isZero();
    }

    @Test
    void refusesLocalhost() {
        ImageFetcher fetcher = new ImageFetcher(false);

        assertRefused(
                fetcher.fetch("http://localhost:" + loopbackServer.port() + "/a.png"),
                Failure.ADDRESS_NOT_ALLOWED,
                fetcher);
        assertThat(loopbackServer.connections()).isZero();
    }

    @Test
    void refusesIpv6Loopback() throws IOException {
        ImageFetcher fetcher = new ImageFetcher(false);
        CountingHttpServer ipv6Server = startIfPossible("::1");
        try {
            int port = ipv6Server == null ? 80 : ipv6Server.port();
            assertRefused(fetcher.fetch("http://[::1]:" + port + "/a.png"), Failure.ADDRESS_NOT_ALLOWED, fetcher);
            if (ipv6Server != null) {
                assertThat(ipv6Server.connections()).isZero();
            }
        } finally {
            if (ipv6Server != null) {
                ipv6Server.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/a.png",
                "http://192.168.1.1/a.png",
                "http://172.16.5.4/a.png",
                "http://100.64.0.1/a.png",
                "http://0.0.0.0/a.png",
                "http://0/a.png",
                "http://[::]/a.png",
                "http://[::ffff:127.0.0.1]/a.png",
                "http://[::ffff:169.254.169.254]/a.png",
                "http://[fc00::1]/a.png",
                "http://[fe80::1]/a.png",
                "http://224.0.0.1/a.png",
                "https://127.0.0.1/a.png",
                "http://2130706433/a.png",
            })
    void refusesInternalAddresses(String url) {
        ImageFetcher fetcher = new ImageFetcher(false);

        ImageFetchResult result = fetcher.fetch(url);

        assertThat(result.failure())
                .hasValueSatisfying(
                        failure -> assertThat(failure).isIn(Failure.ADDRESS_NOT_ALLOWED, Failure.UNRESOLVABLE_HOST));
        assertThat(fetcher.connectionAttempts()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "file:///etc/passwd",
                "ftp://example.com/a.png",
                "gopher://127.0.0.1:70/_x",
                "jar:file:/x.jar!/a.png",
                "data:image/png;base64,AAAA",
                "javascript:alert(1)"
            })
    void refusesOtherSchemes(String url) {
        ImageFetcher fetcher = new ImageFetcher(true);

        assertRefused(fetcher.fetch(url), Failure.SCHEME_NOT_ALLOWED, fetcher);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "//example.com/a.png", "http://user:pw@127.0.0.1/a.png", "http:///a.png"})
    void refusesMalformedUrls(String url) {
        ImageFetcher fetcher = new ImageFetcher(true);

        assertRefused(fetcher.fetch(url), Failure.INVALID_URL, fetcher);
    }

    @Test
    void refusesNameThatResolvesToLoopback() {
        HostResolver dns = fakeDns(Map.of("photos.example.com", "127.0.0.1"));
        ImageFetcher fetcher = new ImageFetcher(AddressPolicy.PUBLIC_ONLY, dns, Duration.ofSeconds(5), 5_000_000, 3);

        ImageFetchResult result = fetcher.fetch("http://photos.example.com:" + loopbackServer.port() + "/a.png");

        assertRefused(result, Failure.ADDRESS_NOT_ALLOWED, fetcher);
        assertThat(result.detail()).contains("photos.example.com resolves to 127.0.0.1");
        assertThat(loopbackServer.connections()).isZero();
    }

    @Test
    void refusesNameWithAnyInternalRecord() {
        HostResolver dns =
                host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")};
        ImageFetcher fetcher = new ImageFetcher(AddressPolicy.PUBLIC_ONLY, dns, Duration.ofSeconds(5), 5_000_000, 3);

        assertRefused(
                fetcher.fetch("http://mixed.example.com:" + loopbackServer.port() + "/a.png"),
                Failure.ADDRESS_NOT_ALLOWED,
                fetcher);
        assertThat(loopbackServer.connections()).isZero();
    }

    @Test
    void rechecksRedirectTargets() throws IOException {
        // 127.0.0.1 plays an allowed public photo host; 127.0.0.2 plays the internal service it redirects to.
        try (CountingHttpServer internal = CountingHttpServer.start(
                "127.0.0.2", CountingHttpServer.ok("image/png", TestImages.encoded("png", 8, 8)))) {
            ImageFetcher fetcher = new ImageFetcher(
                    onlyThisLoopbackIsPublic(),
                    fakeDns(Map.of("internal.example", "127.0.0.2")),
                    Duration.ofSeconds(5),
                    5_000_000,
                    3);

            loopbackServer.setHandler(CountingHttpServer.redirect(internal.url("/secret.png")));
            ImageFetchResult byAddress = fetcher.fetch(loopbackServer.url("/a.png"));
            loopbackServer.setHandler(
                    CountingHttpServer.redirect("http://internal.example:" + internal.port() + "/secret.png"));
            ImageFetchResult byName = fetcher.fetch(loopbackServer.url("/b.png"));
            loopbackServer.setHandler(CountingHttpServer.redirect("file:///etc/passwd"));
            ImageFetchResult toFile = fetcher.fetch(loopbackServer.url("/c.png"));

            assertThat(byAddress.failure()).contains(Failure.ADDRESS_NOT_ALLOWED);
            assertThat(byAddress.detail()).contains("127.0.0.2");
            assertThat(byName.failure()).contains(Failure.ADDRESS_NOT_ALLOWED);
            assertThat(toFile.failure()).contains(Failure.SCHEME_NOT_ALLOWED);
            assertThat(loopbackServer.connections()).isEqualTo(3);
            assertThat(internal.connections()).isZero();
        }
    }

    @Test
    void theSimulatedPublicHostReallyIsReachable() {
        // Guards the test above: its refusals come from the redirect check, not from the first hop.
        ImageFetcher fetcher =
                new ImageFetcher(onlyThisLoopbackIsPublic(), HostResolver.SYSTEM, Duration.ofSeconds(5), 5_000_000, 3);

        assertThat(fetcher.fetch(loopbackServer.url("/a.png")).isFetched()).isTrue();
    }

    @Test
    void privateHostSettingStillRefusesMetadataAndSchemes() {
        ImageFetcher fetcher = new ImageFetcher(true);

        assertThat(fetcher.fetch("http://169.254.169.254/latest/meta-data/").failure())
                .contains(Failure.ADDRESS_NOT_ALLOWED);
        assertThat(fetcher.fetch("http://0.0.0.0:" + loopbackServer.port() + "/")
                        .failure())
                .contains(Failure.ADDRESS_NOT_ALLOWED);
        assertThat(fetcher.fetch("file:///etc/passwd").failure()).contains(Failure.SCHEME_NOT_ALLOWED);
        assertThat(fetcher.connectionAttempts()).isZero();
        assertThat(loopbackServer.connections()).isZero();
    }

    // ---- redirects -----------------------------------------------------------------------------------------

    @Test
    void followsUpToThreeRedirectsAndNoMore() {
        ImageFetcher fetcher = new ImageFetcher(true);
        byte[] png = TestImages.encoded("png", 32, 32);
        loopbackServer.setHandler((path, out) -> {
            int hop = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            if (hop == 0) {
                CountingHttpServer.ok("image/png", png).respond(path, out);
            } else {
                CountingHttpServer.redirect(hop == 2 ? "/hop/1" : loopbackServer.url("/hop/" + (hop - 1)))
                        .respond(path, out);
            }
        });

        ImageFetchResult threeRedirects = fetcher.fetch(loopbackServer.url("/hop/3"));
        ImageFetchResult fourRedirects = fetcher.fetch(loopbackServer.url("/hop/4"));

        assertThat(threeRedirects.isFetched()).as(threeRedirects.toString()).isTrue();
        assertThat(fourRedirects.failure()).contains(Failure.TOO_MANY_REDIRECTS);
        assertThat(loopbackServer.paths())
                .containsExactly("/hop/3", "/hop/2", "/hop/1", "/hop/0", "/hop/4", "/hop/3", "/hop/2", "/hop/1");
    }

    // ---- content checks (private hosts allowed so the local server can answer) --------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif"})
    void decodesAndReencodesAsSmallSquarePng(String format) throws IOException {
        loopbackServer.setHandler(
                CountingHttpServer.ok("application/octet-stream", TestImages.encoded(format, 900, 600)));

        ImageFetchResult result = new ImageFetcher(true).fetch(loopbackServer.url("/photo"));

        assertThat(result.dataUri()).hasValueSatisfying(uri -> assertThat(uri).startsWith("data:image/png;base64,"));
        BufferedImage avatar = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode(result.dataUri().orElseThrow().substring("data:image/png;base64,".length()))));
        assertThat(avatar.getWidth()).isEqualTo(ImageDecoder.AVATAR_SIZE_PX);
        assertThat(avatar.getHeight()).isEqualTo(ImageDecoder.AVATAR_SIZE_PX);
    }

    @Test
    void passesWebpThrough() {
        loopbackServer.setHandler(CountingHttpServer.ok("image/webp", WEBP_1X1));

        ImageFetchResult result = new ImageFetcher(true).fetch(loopbackServer.url("/photo.webp"));

        assertThat(result.dataUri())
                .contains("data:image/webp;base64," + Base64.getEncoder().encodeToString(WEBP_1X1));
    }

    @Test
    void readsChunkedAndCloseDelimitedBodies() {
        byte[] png = TestImages.encoded("png", 40, 40);
        ImageFetcher fetcher = new ImageFetcher(true);

        loopbackServer.setHandler(CountingHttpServer.chunked("image/png", png, 100));
        assertThat(fetcher.fetch(loopbackServer.url("/chunked")).isFetched()).isTrue();
        loopbackServer.setHandler(CountingHttpServer.untilClose("image/png", png));
        assertThat(fetcher.fetch(loopbackServer.url("/close")).isFetched()).isTrue();
    }

    @Test
    void refusesBodiesOverFiveMegabytes() {
        byte[] tooBig = new byte[5 * 1024 * 1024 + 1];
        tooBig[0] = (byte) 0x89; // PNG magic, so only the size can be the reason
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, tooBig, 0, 8);
        ImageFetcher fetcher = new ImageFetcher(true);

        loopbackServer.setHandler(CountingHttpServer.ok("image/png", tooBig));
        ImageFetchResult declared = fetcher.fetch(loopbackServer.url("/declared"));
        loopbackServer.setHandler(CountingHttpServer.chunked("image/png", tooBig, 64 * 1024));
        ImageFetchResult chunked = fetcher.fetch(loopbackServer.url("/chunked"));
        loopbackServer.setHandler(CountingHttpServer.untilClose("image/png", tooBig));
        ImageFetchResult streamed = fetcher.fetch(loopbackServer.url("/streamed"));

        assertThat(declared.failure()).contains(Failure.TOO_LARGE);
        assertThat(chunked.failure()).contains(Failure.TOO_LARGE);
        assertThat(streamed.failure()).contains(Failure.TOO_LARGE);
    }

    @Test
    void refusesNonImages() {
        ImageFetcher fetcher = new ImageFetcher(true);

        loopbackServer.setHandler(CountingHttpServer.ok(
                "image/png", "<html><body>not a photo</body></html>".getBytes(StandardCharsets.UTF_8)));
        ImageFetchResult html = fetcher.fetch(loopbackServer.url("/html"));
        byte[] fakePng = new byte[4096];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, fakePng, 0, 8);
        loopbackServer.setHandler(CountingHttpServer.ok("image/png", fakePng));
        ImageFetchResult garbage = fetcher.fetch(loopbackServer.url("/garbage"));
        loopbackServer.setHandler(
                CountingHttpServer.ok("image/webp", "RIFF\u0004\0\0\0WEBPjunk".getBytes(StandardCharsets.ISO_8859_1)));
        ImageFetchResult badWebp = fetcher.fetch(loopbackServer.url("/webp"));

        assertThat(html.failure()).contains(Failure.NOT_AN_IMAGE);
        assertThat(garbage.failure()).contains(Failure.NOT_AN_IMAGE);
        assertThat(badWebp.failure()).contains(Failure.NOT_AN_IMAGE);
    }

    @Test
    void refusesDecompressionBombDimensions() {
        byte[] png = TestImages.encoded("png", 16, 16);
        // Patch IHDR to claim 50000x50000 (the CRC no longer matches either; both must be refused).
        writeInt(png, 16, 50_000);
        writeInt(png, 20, 50_000);
        loopbackServer.setHandler(CountingHttpServer.ok("image/png", png));

        assertThat(new ImageFetcher(true).fetch(loopbackServer.url("/bomb")).failure())
                .contains(Failure.NOT_AN_IMAGE);
    }

    @Test
    void refusesErrorStatus() {
        loopbackServer.setHandler(CountingHttpServer.status(404));

        ImageFetchResult result = new ImageFetcher(true).fetch(loopbackServer.url("/missing"));

        assertThat(result.failure()).contains(Failure.HTTP_STATUS);
        assertThat(result.detail()).contains("404");
    }

    @Test
    void givesUpAtTheDeadlineEvenIfBytesKeepDripping() {
        loopbackServer.setHandler((path, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) { // one byte every 100 ms: each read is quick, the total is not
                out.write(0);
                out.flush();
                Thread.sleep(100);
            }
        });
        ImageFetcher fetcher = new ImageFetcher(
                AddressPolicy.PUBLIC_AND_PRIVATE, HostResolver.SYSTEM, Duration.ofMillis(1500), 5_000_000, 3);

        long started = System.nanoTime();
        ImageFetchResult result = fetcher.fetch(loopbackServer.url("/slow"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.failure()).contains(Failure.TIMEOUT);
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(3000));
    }

    @Test
    void givesUpOnASilentServer() {
        loopbackServer.setHandler((path, out) -> Thread.sleep(10_000));
        ImageFetcher fetcher = new ImageFetcher(
                AddressPolicy.PUBLIC_AND_PRIVATE, HostResolver.SYSTEM, Duration.ofMillis(800), 5_000_000, 3);

        assertThat(fetcher.fetch(loopbackServer.url("/silent")).failure()).contains(Failure.TIMEOUT);
    }

    @Test
    void noUrlIsNotAnError() {
        assertThat(new ImageFetcher(false).fetch(null).failure()).contains(Failure.NO_URL);
        assertThat(new ImageFetcher(false).fetchDataUri(" ")).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertRefused(ImageFetchResult result, Failure expected, ImageFetcher fetcher) {
        assertThat(result.isFetched()).isFalse();
        assertThat(result.failure()).as(result.toString()).contains(expected);
        assertThat(fetcher.connectionAttempts()).as("connections opened").isZero();
    }

    private static AddressPolicy onlyThisLoopbackIsPublic() {
        return address ->
                address.getHostAddress().equals("127.0.0.1") ? null : AddressPolicy.PUBLIC_ONLY.refusal(address);
    }

    private static HostResolver fakeDns(Map<String, String> records) {
        return host -> {
            String address = records.get(host);
            if (address == null && host.matches("[0-9.]+|.*:.*")) {
                address = host; // IP literals need no DNS
            }
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
    }

    private static CountingHttpServer startIfPossible(String address) {
        try {
            return CountingHttpServer.start(address, CountingHttpServer.status(200));
        } catch (IOException e) {
            return null; // no IPv6 loopback in this environment: the refusal is still checked via connectionAttempts()
        }
    }

    private static void writeInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }
}
