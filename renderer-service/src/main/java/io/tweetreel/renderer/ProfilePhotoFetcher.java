package io.tweetreel.renderer;

import io.tweetreel.renderer.PhotoFetchResult.Failure;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a user-supplied profile photo URL for inlining as a data URI, guarded against SSRF.
 *
 * <p>How the guard holds: the host is resolved once, every resolved address must pass the {@link AddressPolicy},
 * and the TCP connection is opened to that checked address itself, with the original name only in the
 * {@code Host} header and TLS SNI/hostname verification. Nothing resolves the name a second time, so DNS
 * rebinding between check and connect cannot redirect us. {@code java.net.http.HttpClient} and
 * {@code HttpURLConnection} both resolve on their own, hence the small HTTP/1.1 client over a plain (or TLS-layered)
 * socket here. Redirects are followed by hand and every hop goes through the same check.
 *
 * <p>Limits: at most {@value #DEFAULT_MAX_REDIRECTS} redirects, {@link #DEFAULT_MAX_BYTES} bytes (streamed, aborted
 * once exceeded), one {@link #DEFAULT_TIMEOUT} deadline for the whole fetch including DNS and redirects. The bytes
 * must be PNG, JPEG, GIF or WebP by their magic numbers; the first three are decoded and re-encoded as a small PNG
 * (which also proves they decode), WebP (no ImageIO reader) is structurally checked and passed to Chromium as is.
 *
 * <p>Thread-safe; share one instance. Failures never throw: they come back as a {@link PhotoFetchResult} and a WARN.
 */
public final class ProfilePhotoFetcher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
    public static final int DEFAULT_MAX_REDIRECTS = 3;

    /** Twice the largest avatar the card draws (56 CSS px at scale 2 = 112 px), with headroom for custom templates. */
    static final int AVATAR_SIZE_PX = 256;
    /** Decoded pixels are what costs memory; a tiny PNG can claim 50000x50000. */
    static final int MAX_SOURCE_DIMENSION = 10_000;
    private static final int MAX_HEADER_BYTES = 32 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ProfilePhotoFetcher.class);

    /** Name resolution cannot be given a timeout directly, so it runs here and is waited on with the deadline. */
    private static final ExecutorService RESOLVER_THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "photo-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final AddressPolicy addressPolicy;
    private final SSLSocketFactory tlsSockets;
    private final HostResolver resolver;
    private final Duration timeout;
    private final long maxBytes;
    private final int maxRedirects;
    private final AtomicLong connectionAttempts = new AtomicLong();

    /**
     * @param allowPrivateHosts {@code RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS}: also allow loopback and private
     *                          addresses (tests serving photos from 127.0.0.1). Off in production; everything else
     *                          (schemes, redirects, limits, link-local/metadata refusal) stays the same.
     */
    public ProfilePhotoFetcher(boolean allowPrivateHosts) {
        this(allowPrivateHosts ? AddressPolicy.PUBLIC_AND_PRIVATE : AddressPolicy.PUBLIC_ONLY, HostResolver.SYSTEM,
                DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS);
    }

    ProfilePhotoFetcher(AddressPolicy addressPolicy, HostResolver resolver, Duration timeout, long maxBytes, int maxRedirects) {
        this(addressPolicy, resolver, timeout, maxBytes, maxRedirects, defaultTlsSockets());
    }

    ProfilePhotoFetcher(AddressPolicy addressPolicy, HostResolver resolver, Duration timeout, long maxBytes, int maxRedirects,
            SSLSocketFactory tlsSockets) {
        this.tlsSockets = tlsSockets;
        this.addressPolicy = addressPolicy;
        this.resolver = resolver;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
    }

    /** Convenience for callers that only care whether there is a photo. */
    public Optional<String> fetchDataUri(String url) {
        return fetch(url).dataUri();
    }

    /** Fetches and validates the photo; never throws. A {@code null} or blank URL yields {@link Failure#NO_URL} quietly. */
    public PhotoFetchResult fetch(String url) {
        if (url == null || url.isBlank()) {
            return PhotoFetchResult.failed(Failure.NO_URL, "no profile photo URL");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        PhotoFetchResult result;
        try {
            result = fetchFollowingRedirects(url.trim(), deadline);
        } catch (FetchFailure failure) {
            result = PhotoFetchResult.failed(failure.reason, failure.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = PhotoFetchResult.failed(Failure.TIMEOUT, "interrupted");
        } catch (RuntimeException e) {
            result = PhotoFetchResult.failed(Failure.IO_ERROR, e.toString());
        }
        if (!result.isFetched()) {
            log.warn("Profile photo not used, the card shows an initials avatar: {} ({}) for {}",
                    result.failure().orElseThrow(), result.detail(), describeForLog(url));
        }
        return result;
    }

    /** Connections opened so far (tests assert that refused targets never got one). */
    long connectionAttempts() {
        return connectionAttempts.get();
    }

    private PhotoFetchResult fetchFollowingRedirects(String url, long deadline) throws FetchFailure, InterruptedException {
        Target target = parseTarget(url);
        for (int redirects = 0; ; redirects++) {
            List<InetAddress> addresses = resolveAndCheck(target, deadline);
            Response response = exchange(target, addresses, deadline);
            if (response.isRedirect()) {
                String location = response.header("location");
                if (location == null || location.isBlank()) {
                    throw new FetchFailure(Failure.HTTP_STATUS, "HTTP " + response.status + " without Location");
                }
                if (redirects >= maxRedirects) {
                    throw new FetchFailure(Failure.TOO_MANY_REDIRECTS, "more than " + maxRedirects + " redirects");
                }
                target = parseTarget(resolveLocation(target.uri, location.trim()));
                continue;
            }
            if (response.status != 200) {
                throw new FetchFailure(Failure.HTTP_STATUS, "HTTP " + response.status + " from " + target.host);
            }
            return toDataUri(response.body);
        }
    }

    // ---- URL and address checks -----------------------------------------------------------------------------

    private static Target parseTarget(String url) throws FetchFailure {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new FetchFailure(Failure.INVALID_URL, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            throw new FetchFailure(Failure.INVALID_URL, "relative URL");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchFailure(Failure.SCHEME_NOT_ALLOWED, "scheme " + scheme + " is not http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchFailure(Failure.INVALID_URL, "credentials in URL");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new FetchFailure(Failure.INVALID_URL, "no usable host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            if (!host.contains(":")) {
                throw new FetchFailure(Failure.INVALID_URL, "invalid host name");
            }
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        return new Target(uri, https, host, port);
    }

    private static String resolveLocation(URI base, String location) throws FetchFailure {
        try {
            return base.resolve(new URI(location)).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchFailure(Failure.INVALID_URL, "bad redirect Location");
        }
    }

    private List<InetAddress> resolveAndCheck(Target target, long deadline) throws FetchFailure, InterruptedException {
        InetAddress[] resolved;
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.resolve(target.host);
            } catch (UnknownHostException e) {
                return new InetAddress[0];
            }
        }, RESOLVER_THREADS);
        try {
            resolved = lookup.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | SocketTimeoutException e) {
            lookup.cancel(true);
            throw new FetchFailure(Failure.TIMEOUT, "resolving " + target.host + " took too long");
        } catch (ExecutionException e) {
            throw new FetchFailure(Failure.UNRESOLVABLE_HOST, "cannot resolve " + target.host + ": " + e.getCause());
        }
        if (resolved == null || resolved.length == 0) {
            throw new FetchFailure(Failure.UNRESOLVABLE_HOST, "cannot resolve " + target.host);
        }
        // ANY bad address refuses the host: otherwise a name with one public and one internal record is a coin toss.
        for (InetAddress address : resolved) {
            String refusal = addressPolicy.refusal(address);
            if (refusal != null) {
                throw new FetchFailure(Failure.ADDRESS_NOT_ALLOWED,
                        target.host + " resolves to " + address.getHostAddress() + " (" + refusal + ")");
            }
        }
        return Arrays.asList(resolved);
    }

    // ---- HTTP/1.1 over a socket pinned to the checked address ---------------------------------------------

    private Response exchange(Target target, List<InetAddress> checkedAddresses, long deadline) throws FetchFailure {
        try (Socket socket = connect(target, checkedAddresses, deadline)) {
            OutputStream out = socket.getOutputStream();
            out.write(requestBytes(target));
            out.flush();
            InputStream in = new java.io.BufferedInputStream(new DeadlineInputStream(socket, deadline), 16 * 1024);
            return readResponse(in);
        } catch (SocketTimeoutException e) {
            throw new FetchFailure(Failure.TIMEOUT, "no complete answer from " + target.host + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new FetchFailure(Failure.IO_ERROR, target.host + ": " + e.getMessage());
        }
    }

    private Socket connect(Target target, List<InetAddress> checkedAddresses, long deadline) throws IOException {
        IOException lastFailure = null;
        for (InetAddress address : checkedAddresses) {
            Socket socket = new Socket();
            try {
                connectionAttempts.incrementAndGet();
                socket.connect(new InetSocketAddress(address, target.port), remainingMillis(deadline));
                if (!target.https) {
                    return socket;
                }
                return startTls(socket, target, deadline);
            } catch (SocketTimeoutException e) {
                socket.close();
                throw e;
            } catch (IOException e) {
                socket.close();
                lastFailure = e;
            }
        }
        throw lastFailure != null ? lastFailure : new IOException("no address to connect to");
    }

    private static SSLSocketFactory defaultTlsSockets() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("No default TLS context in this JVM", e);
        }
    }

    private Socket startTls(Socket connected, Target target, long deadline) throws IOException {
        // Layered on the already-connected socket: TLS verifies the certificate against the host NAME (SNI + HTTPS
        // endpoint identification) while the bytes go to the checked IP.
        SSLSocket tls = (SSLSocket) tlsSockets.createSocket(connected, target.host, target.port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(target.host)) {
            parameters.setServerNames(List.of(new SNIHostName(target.host)));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remainingMillis(deadline));
        tls.startHandshake();
        return tls;
    }

    private static byte[] requestBytes(Target target) {
        URI ascii = URI.create(target.uri.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        if (ascii.getRawQuery() != null) {
            path += "?" + ascii.getRawQuery();
        }
        String hostHeader = target.host.contains(":") ? "[" + target.host + "]" : target.host;
        if (target.port != (target.https ? 443 : 80)) {
            hostHeader += ":" + target.port;
        }
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: tweet-reel-renderer/1.0\r\n"
                + "Accept: image/png,image/jpeg,image/gif,image/webp;q=0.9,image/*;q=0.5\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    private Response readResponse(InputStream in) throws IOException, FetchFailure {
        int[] headerBudget = {MAX_HEADER_BYTES};
        String statusLine;
        int status;
        do { // skip interim 1xx answers
            statusLine = readLine(in, headerBudget);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new FetchFailure(Failure.IO_ERROR, "not an HTTP response");
            }
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new FetchFailure(Failure.IO_ERROR, "bad HTTP status line");
            }
            Map<String, String> interim = readHeaders(in, headerBudget);
            if (status >= 200 || status == 101) {
                Response response = new Response(status, interim);
                if (response.isRedirect() || status != 200) {
                    return response;
                }
                response.body = readBody(in, interim);
                return response;
            }
        } while (true);
    }

    private static Map<String, String> readHeaders(InputStream in, int[] budget) throws IOException, FetchFailure {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while (!(line = readLine(in, budget)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private byte[] readBody(InputStream in, Map<String, String> headers) throws IOException, FetchFailure {
        BoundedBuffer body = new BoundedBuffer(maxBytes);
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (transferEncoding.contains("chunked")) {
            int[] lineBudget = {MAX_HEADER_BYTES};
            while (true) {
                String sizeLine = readLine(in, lineBudget);
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new FetchFailure(Failure.IO_ERROR, "bad chunk size");
                }
                if (size == 0) {
                    return body.toByteArray();
                }
                body.copyExactly(in, size);
                readLine(in, lineBudget);
                lineBudget[0] = MAX_HEADER_BYTES;
            }
        }
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.split(",")[0].trim());
            } catch (NumberFormatException e) {
                throw new FetchFailure(Failure.IO_ERROR, "bad Content-Length");
            }
            if (length > maxBytes) {
                throw new FetchFailure(Failure.TOO_LARGE, "Content-Length " + length + " exceeds " + maxBytes + " bytes");
            }
            body.copyExactly(in, length);
            return body.toByteArray();
        }
        body.copyToEnd(in);
        return body.toByteArray();
    }

    private static String readLine(InputStream in, int[] budget) throws IOException, FetchFailure {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (--budget[0] < 0) {
                throw new FetchFailure(Failure.IO_ERROR, "HTTP header section too large");
            }
            if (c == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            line.append((char) c);
        }
        throw new EOFException("connection closed mid-header");
    }

    // ---- image validation -----------------------------------------------------------------------------------

    private static PhotoFetchResult toDataUri(byte[] bytes) throws FetchFailure {
        String type = sniffImageType(bytes);
        if (type == null) {
            throw new FetchFailure(Failure.NOT_AN_IMAGE, "content is not PNG, JPEG, GIF or WebP (" + bytes.length + " bytes)");
        }
        if (type.equals("webp")) {
            checkWebpStructure(bytes);
            return PhotoFetchResult.fetched("data:image/webp;base64," + Base64.getEncoder().encodeToString(bytes),
                    "webp, " + bytes.length + " bytes");
        }
        BufferedImage avatar = decodeAsSquareAvatar(bytes, type);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(avatar, "png", png);
        } catch (IOException e) {
            throw new FetchFailure(Failure.NOT_AN_IMAGE, "cannot re-encode image: " + e.getMessage());
        }
        return PhotoFetchResult.fetched("data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()),
                type + ", " + bytes.length + " bytes");
    }

    static String sniffImageType(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "webp";
        }
        return null;
    }

    private static void checkWebpStructure(byte[] b) throws FetchFailure {
        long riffSize = (b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24;
        boolean knownChunk = startsWith(b, 12, 'V', 'P', '8', ' ') || startsWith(b, 12, 'V', 'P', '8', 'L')
                || startsWith(b, 12, 'V', 'P', '8', 'X');
        if (b.length < 30 || !knownChunk || riffSize + 8 > b.length || riffSize < 22) {
            throw new FetchFailure(Failure.NOT_AN_IMAGE, "malformed WebP");
        }
    }

    private static BufferedImage decodeAsSquareAvatar(byte[] bytes, String type) throws FetchFailure {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type);
            if (!readers.hasNext()) {
                throw new FetchFailure(Failure.NOT_AN_IMAGE, "no decoder for " + type);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width > MAX_SOURCE_DIMENSION || height > MAX_SOURCE_DIMENSION) {
                    throw new FetchFailure(Failure.NOT_AN_IMAGE, "unacceptable image size " + width + "x" + height);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int subsampling = Math.max(1, Math.min(width, height) / (AVATAR_SIZE_PX * 2));
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                return cropAndScale(decoded);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new FetchFailure(Failure.NOT_AN_IMAGE, "cannot decode " + type + ": " + e.getMessage());
        }
    }

    private static BufferedImage cropAndScale(BufferedImage source) {
        int side = Math.min(source.getWidth(), source.getHeight());
        int x = (source.getWidth() - side) / 2;
        int y = (source.getHeight() - side) / 2;
        int target = Math.min(side, AVATAR_SIZE_PX);
        BufferedImage avatar = new BufferedImage(target, target, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = avatar.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, target, target, x, y, x + side, y + side, null);
        } finally {
            graphics.dispose();
        }
        return avatar;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /** Logs scheme, host and path only: query strings of photo URLs often carry signatures or tokens. */
    private static String describeForLog(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            }
            return uri.getScheme() != null ? uri.getScheme() + ":..." : "(unparseable URL)";
        } catch (URISyntaxException e) {
            return "(unparseable URL)";
        }
    }

    private record Target(URI uri, boolean https, String host, int port) {
    }

    private static final class Response {
        final int status;
        final Map<String, String> headers;
        byte[] body;

        Response(int status, Map<String, String> headers) {
            this.status = status;
            this.headers = headers;
        }

        boolean isRedirect() {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return status + " " + headers.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.joining(","));
        }
    }

    /** Re-arms the socket's read timeout with what is left of the overall deadline before every read. */
    private static final class DeadlineInputStream extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read(buffer, offset, length);
        }
    }

    /** Collects the body and fails as soon as it would exceed the cap, so oversized answers are never fully read. */
    private static final class BoundedBuffer {
        private final long limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[16 * 1024];

        BoundedBuffer(long limit) {
            this.limit = limit;
        }

        void copyExactly(InputStream in, long count) throws IOException, FetchFailure {
            if (bytes.size() + count > limit) {
                throw new FetchFailure(Failure.TOO_LARGE, "body exceeds " + limit + " bytes");
            }
            long left = count;
            while (left > 0) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (read < 0) {
                    throw new EOFException("body ended early");
                }
                bytes.write(chunk, 0, read);
                left -= read;
            }
        }

        void copyToEnd(InputStream in) throws IOException, FetchFailure {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                if (bytes.size() + read > limit) {
                    throw new FetchFailure(Failure.TOO_LARGE, "body exceeds " + limit + " bytes");
                }
                bytes.write(chunk, 0, read);
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    private static final class FetchFailure extends Exception {
        final Failure reason;

        FetchFailure(Failure reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
