package io.tweetreel.core.http;

import io.tweetreel.core.http.SafeHttpException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.IDN;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.CookieJar;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/**
 * The one way a service calls a URL a user gave it (profile photos and webhooks today; media images next), built on
 * OkHttp and guarded against SSRF.
 *
 * <p>How the guard holds: URLs must be http or https without credentials. Each hop's host goes through a
 * {@link PolicyDns} that resolves it once and hands OkHttp the addresses only if every one passes the
 * {@link AddressPolicy}, so DNS rebinding between check and connect has nothing to work with. OkHttp does not ask
 * its {@code Dns} about IP literals, so those are checked here before the call, and a {@link GuardedSocketFactory}
 * checks every socket's target before it connects. {@link #get} follows redirects here, not in OkHttp, so every hop
 * gets the same checks and the hop limit is ours (OkHttp's is 20); {@link #post} never follows one. TLS verifies the
 * certificate against the host name.
 *
 * <p>Limits: {@code maxRedirects}, {@code maxBytes} (Content-Length checked first, the body counted while it
 * streams and abandoned the moment it passes the cap), and one {@code timeout} for the whole exchange: DNS,
 * connects, redirects and the body. No proxy, no cookies, no cache, no connection reuse between exchanges.
 *
 * <p>Thread-safe; share one instance per set of limits.
 */
public final class SafeHttpClient {

    /** OkHttp treats hosts of this shape as IP literals (also "2130706433") and skips its {@code Dns} for them. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final OkHttpClient okHttp;
    private final GuardedSocketFactory sockets;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final Duration timeout;
    private final long maxBytes;
    private final int maxRedirects;

    private SafeHttpClient(Builder builder) {
        this.policy = builder.policy;
        this.resolver = builder.resolver;
        this.timeout = builder.timeout;
        this.maxBytes = builder.maxBytes;
        this.maxRedirects = builder.maxRedirects;
        this.sockets = new GuardedSocketFactory(policy);
        OkHttpClient.Builder okHttp = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY)
                .socketFactory(sockets)
                .cookieJar(CookieJar.NO_COOKIES)
                .cache(null)
                .followRedirects(false)
                .followSslRedirects(false)
                // No idle connections: each exchange has a Dns of its own, so none could be reused anyway.
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                // The call timeout is the one deadline; per-step timeouts of their own would only cut it shorter.
                .connectTimeout(Duration.ZERO)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO);
        if (builder.tlsSockets != null) {
            okHttp.sslSocketFactory(builder.tlsSockets, builder.trustManager);
        }
        this.okHttp = okHttp.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * GETs {@code url}, following redirects, and returns the final answer whatever its status, body included.
     * {@code headers} go to every hop, so they must not carry secrets for the first host only.
     */
    public Response get(String url, Map<String, String> headers) throws SafeHttpException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpUrl target = checkedUrl(url);
        for (int redirects = 0; ; redirects++) {
            Response response = exchange(target, Headers.of(headers), null, deadline);
            String location = response.isRedirect() ? response.header("location") : null;
            if (location == null || location.isBlank()) {
                return response;
            }
            if (redirects >= maxRedirects) {
                throw new SafeHttpException(Reason.TOO_MANY_REDIRECTS, "more than " + maxRedirects + " redirects");
            }
            target = checkedUrl(resolveLocation(target, location.trim()));
        }
    }

    /**
     * POSTs {@code body} to {@code url} and returns the answer whatever its status, body included. Redirects are not
     * followed: a 3xx is returned like any other status (a webhook receiver that moved must be told, and following
     * would re-send the body to a host the caller never chose). The {@code Content-Type} header, if given, is the
     * body's media type.
     */
    public Response post(String url, Map<String, String> headers, byte[] body) throws SafeHttpException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpUrl target = checkedUrl(url);
        String contentType = headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        RequestBody requestBody = RequestBody.create(body, contentType == null ? null : MediaType.parse(contentType));
        return exchange(target, Headers.of(headers), requestBody, deadline);
    }

    /** Connections opened so far (tests assert that refused targets never got one). */
    public long connectionAttempts() {
        return sockets.connectionAttempts();
    }

    /** One request to {@code url}: a GET when {@code body} is null, else a POST of it. */
    private Response exchange(HttpUrl url, Headers headers, RequestBody body, long deadline) throws SafeHttpException {
        PolicyDns dns = new PolicyDns(resolver, policy, deadline);
        if (IP_LITERAL.matcher(url.host()).matches()) {
            dns.resolveAndCheck(url.host(), HostResolver.SYSTEM);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timedOut(url);
        }
        OkHttpClient hop = okHttp.newBuilder()
                .dns(dns)
                .callTimeout(Duration.ofNanos(remaining))
                .build();
        Request.Builder request = new Request.Builder().url(url).headers(headers);
        if (body == null) {
            request.get();
        } else {
            request.post(body);
        }
        try (okhttp3.Response response = hop.newCall(request.build()).execute()) {
            boolean redirect = Response.isRedirect(response.code());
            byte[] answer = redirect ? new byte[0] : readCapped(response.body());
            return new Response(
                    response.code(), url.toString(), response.headers().toMultimap(), answer);
        } catch (IOException e) {
            if (dns.refusal() != null) {
                throw dns.refusal();
            }
            GuardedSocketFactory.RefusedAddressException refused = findRefusal(e);
            if (refused != null) {
                throw new SafeHttpException(Reason.ADDRESS_NOT_ALLOWED, url.host() + ": " + refused.getMessage());
            }
            if (e instanceof InterruptedIOException || deadline - System.nanoTime() <= 0) {
                throw timedOut(url);
            }
            throw new SafeHttpException(Reason.IO_ERROR, url.host() + ": " + e.getMessage());
        }
    }

    /** Counts bytes as they arrive, after OkHttp's transparent gunzip, so a compressed bomb also stops at the cap. */
    private byte[] readCapped(ResponseBody body) throws IOException, SafeHttpException {
        long declared = body.contentLength();
        if (declared > maxBytes) {
            throw new SafeHttpException(
                    Reason.TOO_LARGE, "Content-Length " + declared + " exceeds " + maxBytes + " bytes");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try (InputStream in = body.byteStream()) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                if (bytes.size() + read > maxBytes) {
                    throw new SafeHttpException(Reason.TOO_LARGE, "body exceeds " + maxBytes + " bytes");
                }
                bytes.write(chunk, 0, read);
            }
        }
        return bytes.toByteArray();
    }

    private SafeHttpException timedOut(HttpUrl url) {
        return new SafeHttpException(
                Reason.TIMEOUT, "no complete answer from " + url.host() + " within " + timeout.toMillis() + " ms");
    }

    private static GuardedSocketFactory.RefusedAddressException findRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GuardedSocketFactory.RefusedAddressException refused) {
                return refused;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                GuardedSocketFactory.RefusedAddressException found = findRefusal(suppressed);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    // ---- URL checks ------------------------------------------------------------------------------------------

    private static HttpUrl checkedUrl(String url) throws SafeHttpException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new SafeHttpException(Reason.INVALID_URL, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            throw new SafeHttpException(Reason.INVALID_URL, "relative URL");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SafeHttpException(Reason.SCHEME_NOT_ALLOWED, "scheme " + scheme + " is not http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new SafeHttpException(Reason.INVALID_URL, "credentials in URL");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new SafeHttpException(Reason.INVALID_URL, "no usable host");
        }
        if (!host.startsWith("[")) {
            try {
                IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new SafeHttpException(Reason.INVALID_URL, "invalid host name");
            }
        }
        HttpUrl parsed = HttpUrl.parse(uri.toASCIIString());
        if (parsed == null) {
            throw new SafeHttpException(Reason.INVALID_URL, "not a URL OkHttp accepts");
        }
        return parsed;
    }

    private static String resolveLocation(HttpUrl base, String location) throws SafeHttpException {
        try {
            return base.uri().resolve(new URI(location)).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SafeHttpException(Reason.INVALID_URL, "bad redirect Location");
        }
    }

    // ---- types -----------------------------------------------------------------------------------------------

    /**
     * The final answer of an exchange.
     *
     * @param url     where it came from, after redirects
     * @param headers names in lower case, as OkHttp gives them
     */
    public record Response(int status, String url, Map<String, List<String>> headers, byte[] body) {

        /** The first value of a header, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean isRedirect() {
            return isRedirect(status);
        }

        static boolean isRedirect(int status) {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }
    }

    /** Defaults: public addresses only, system DNS, 10 s, 10 MiB, 3 redirects, the JVM's trusted CAs. */
    public static final class Builder {
        private AddressPolicy policy = AddressPolicy.PUBLIC_ONLY;
        private HostResolver resolver = HostResolver.SYSTEM;
        private Duration timeout = Duration.ofSeconds(10);
        private long maxBytes = 10L * 1024 * 1024;
        private int maxRedirects = 3;
        private SSLSocketFactory tlsSockets;
        private X509TrustManager trustManager;

        private Builder() {}

        public Builder addressPolicy(AddressPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver);
            return this;
        }

        /** The one deadline for a whole exchange: DNS, connects, every redirect hop and the body. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        /** Trust other certificates than the JVM's (tests); host names are verified all the same. */
        public Builder tls(SSLSocketFactory tlsSockets, X509TrustManager trustManager) {
            this.tlsSockets = Objects.requireNonNull(tlsSockets);
            this.trustManager = Objects.requireNonNull(trustManager);
            return this;
        }

        public SafeHttpClient build() {
            return new SafeHttpClient(this);
        }
    }
}
