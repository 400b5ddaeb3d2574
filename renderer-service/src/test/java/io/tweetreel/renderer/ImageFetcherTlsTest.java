package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.HostResolver;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.renderer.ImageFetchResult.Failure;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS while connecting to the checked IP: the certificate must still be verified against the host name from
 * the URL (SNI + endpoint identification), otherwise pinning the IP would have cost us TLS's protection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFetcherTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private CountingHttpServer server;
    private SSLContext clientTrustingTestCertificate;
    private X509TrustManager trustingTestCertificate;

    @BeforeAll
    void startTlsServer(@TempDir Path dir) throws Exception {
        Path keyStoreFile = dir.resolve("photos.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "photos",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=photos.test",
                        "-ext",
                        "SAN=dns:photos.test",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStoreFile.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("photos", keys.getCertificate("photos"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        clientTrustingTestCertificate = SSLContext.getInstance("TLS");
        clientTrustingTestCertificate.init(null, trustManagers.getTrustManagers(), null);
        trustingTestCertificate = (X509TrustManager) trustManagers.getTrustManagers()[0];

        server = CountingHttpServer.startTls(
                "127.0.0.1", serverTls, CountingHttpServer.ok("image/png", TestImages.encoded("png", 64, 64)));
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void fetchesOverTlsFromTheCheckedAddressWithTheNamesCertificate() {
        ImageFetchResult result = fetcher().fetch("https://photos.test:" + server.port() + "/a.png");

        assertThat(result.isFetched()).as(result.toString()).isTrue();
    }

    @Test
    void refusesACertificateForAnotherName() {
        ImageFetchResult result = fetcher().fetch("https://impostor.test:" + server.port() + "/a.png");

        assertThat(result.failure()).as(result.toString()).contains(Failure.IO_ERROR);
    }

    @Test
    void refusesAnUntrustedCertificate() {
        ImageFetcher defaultTrust = new ImageFetcher(
                AddressPolicy.PUBLIC_AND_PRIVATE, dns(), Duration.ofSeconds(5), ImageFetcher.DEFAULT_MAX_BYTES, 3);

        assertThat(defaultTrust
                        .fetch("https://photos.test:" + server.port() + "/a.png")
                        .failure())
                .contains(Failure.IO_ERROR);
    }

    private ImageFetcher fetcher() {
        return new ImageFetcher(SafeHttpClient.builder()
                .addressPolicy(AddressPolicy.PUBLIC_AND_PRIVATE)
                .resolver(dns())
                .timeout(Duration.ofSeconds(5))
                .maxBytes(ImageFetcher.DEFAULT_MAX_BYTES)
                .maxRedirects(3)
                .tls(clientTrustingTestCertificate.getSocketFactory(), trustingTestCertificate)
                .build());
    }

    /** Both names point at the test server on 127.0.0.1; only one of them is on its certificate. */
    private static HostResolver dns() {
        return host -> {
            if (host.equals("photos.test") || host.equals("impostor.test")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            throw new UnknownHostException(host);
        };
    }
}
