package io.tweetreel.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 server (S3Proxy) in this JVM, storing buckets as directories under {@code dataDir} so objects survive
 * restarts. Requests must be signed with AWS Signature V4 using the given keys; path-style addressing.
 */
public final class EmbeddedS3 {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);

    private final Path dataDir;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;
    /** The port of the first start, kept so a restart serves the same endpoint. */
    private int boundPort;

    /**
     * @param dataDir   bucket directories live here (created if missing)
     * @param port      HTTP port, 0 for a free one
     * @param accessKey access key clients sign with
     * @param secretKey secret key clients sign with
     */
    public EmbeddedS3(Path dataDir, int port, String accessKey, String secretKey) {
        this.dataDir = dataDir.toAbsolutePath();
        this.requestedPort = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts the server and returns its endpoint URL once it accepts requests. After {@link #stop()} it starts
     * again on the same port, with the same objects.
     */
    public synchronized String start() throws Exception {
        if (proxy != null) {
            return endpoint();
        }
        int port = boundPort != 0 ? boundPort : requestedPort;
        if (boundPort == 0) {
            Ports.requireFree("S3", requestedPort);
        }
        Files.createDirectories(dataDir);
        S3Proxy s3Proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
                .endpoint(URI.create("http://" + Ports.LOOPBACK + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
                .build();
        try {
            s3Proxy.start();
            awaitStarted(s3Proxy, Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            stopQuietly(s3Proxy);
            throw e;
        }
        proxy = s3Proxy;
        boundPort = s3Proxy.getPort();
        return endpoint();
    }

    public synchronized String endpoint() {
        if (proxy == null) {
            throw new IllegalStateException("S3 is not running");
        }
        return "http://" + Ports.LOOPBACK + ":" + proxy.getPort();
    }

    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        S3Proxy running = proxy;
        proxy = null;
        stopQuietly(running);
    }

    private static void awaitStarted(S3Proxy s3Proxy, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        // Jetty may report STARTING for a moment after start() returns
        while (!"STARTED".equals(s3Proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy did not start within " + timeout.toSeconds() + " s (state "
                        + s3Proxy.getState() + ")");
            }
            Thread.sleep(20);
        }
    }

    private static void stopQuietly(S3Proxy s3Proxy) {
        try {
            s3Proxy.stop();
        } catch (Exception e) {
            log.warn("S3Proxy did not stop cleanly", e);
        }
    }
}
