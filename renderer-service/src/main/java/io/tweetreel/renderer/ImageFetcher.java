package io.tweetreel.renderer;

import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.HostResolver;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.core.http.SafeHttpException;
import io.tweetreel.renderer.ImageFetchResult.Failure;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the images of a card that users give as URLs (the profile photo, and the post's and the quote's media)
 * for inlining as data URIs: the bytes come through the SSRF-guarded {@link SafeHttpClient} (http/https only, every
 * address and redirect checked, size and time limits), the image checks and downscaling are {@link ImageDecoder}'s.
 * One policy for every image; only the size cap differs (a photo is small, a media image may be a camera's).
 *
 * <p>Limits: at most {@value #DEFAULT_MAX_REDIRECTS} redirects, {@link #DEFAULT_MAX_BYTES} bytes for a profile photo
 * and {@link #MEDIA_MAX_BYTES} for a media image, one {@link #DEFAULT_TIMEOUT} deadline for the whole fetch including
 * DNS and redirects.
 *
 * <p>Thread-safe; share one instance. Failures never throw: they come back as a {@link ImageFetchResult} and a WARN.
 */
public final class ImageFetcher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
    public static final long MEDIA_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_REDIRECTS = 3;

    private static final Map<String, String> REQUEST_HEADERS = Map.of(
            "User-Agent", "tweet-reel-renderer/1.0",
            "Accept", "image/png,image/jpeg,image/gif,image/webp;q=0.9,image/*;q=0.5");

    private static final Logger log = LoggerFactory.getLogger(ImageFetcher.class);

    private final SafeHttpClient photoHttp;
    private final SafeHttpClient mediaHttp;

    /**
     * @param allowPrivateHosts {@code RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS}: also allow loopback and private
     *                          addresses (tests serving images from 127.0.0.1). Off in production; everything else
     *                          (schemes, redirects, limits, link-local/metadata refusal) stays the same.
     */
    public ImageFetcher(boolean allowPrivateHosts) {
        this(
                allowPrivateHosts ? AddressPolicy.PUBLIC_AND_PRIVATE : AddressPolicy.PUBLIC_ONLY,
                HostResolver.SYSTEM,
                DEFAULT_TIMEOUT,
                DEFAULT_MAX_BYTES,
                DEFAULT_MAX_REDIRECTS);
    }

    /** {@code maxBytes} caps profile photos; media images get {@link #MEDIA_MAX_BYTES} under the same policy. */
    ImageFetcher(
            AddressPolicy addressPolicy, HostResolver resolver, Duration timeout, long maxBytes, int maxRedirects) {
        this(
                client(addressPolicy, resolver, timeout, maxBytes, maxRedirects),
                client(addressPolicy, resolver, timeout, MEDIA_MAX_BYTES, maxRedirects));
    }

    /** One client for every image (tests that bring their own TLS trust). */
    ImageFetcher(SafeHttpClient http) {
        this(http, http);
    }

    private ImageFetcher(SafeHttpClient photoHttp, SafeHttpClient mediaHttp) {
        this.photoHttp = photoHttp;
        this.mediaHttp = mediaHttp;
    }

    private static SafeHttpClient client(
            AddressPolicy addressPolicy, HostResolver resolver, Duration timeout, long maxBytes, int maxRedirects) {
        return SafeHttpClient.builder()
                .addressPolicy(addressPolicy)
                .resolver(resolver)
                .timeout(timeout)
                .maxBytes(maxBytes)
                .maxRedirects(maxRedirects)
                .build();
    }

    /** Convenience for callers that only care whether there is a photo. */
    public Optional<String> fetchDataUri(String url) {
        return fetch(url).dataUri();
    }

    /**
     * Fetches and checks a profile photo (a square avatar); never throws. A {@code null} or blank URL yields
     * {@link Failure#NO_URL} quietly.
     */
    public ImageFetchResult fetch(String url) {
        return fetch(url, photoHttp, ImageDecoder.Fit.AVATAR, "Profile photo not used, the card shows initials");
    }

    /** Fetches and checks a media image (aspect kept, downscaled); never throws. */
    public ImageFetchResult fetchMedia(String url) {
        return fetch(url, mediaHttp, ImageDecoder.Fit.MEDIA, "Image not used, the card shows a neutral tile");
    }

    private ImageFetchResult fetch(String url, SafeHttpClient http, ImageDecoder.Fit fit, String fallback) {
        if (url == null || url.isBlank()) {
            return ImageFetchResult.failed(Failure.NO_URL, "no image URL");
        }
        ImageFetchResult result;
        try {
            SafeHttpClient.Response response = http.get(url.trim(), REQUEST_HEADERS);
            result = response.status() == 200
                    ? ImageDecoder.decode(response.body(), fit)
                    : ImageFetchResult.failed(
                            Failure.HTTP_STATUS,
                            "HTTP " + response.status() + " from "
                                    + URI.create(response.url()).getHost());
        } catch (SafeHttpException e) {
            result = ImageFetchResult.failed(failureOf(e.reason()), e.getMessage());
        } catch (RuntimeException e) {
            result = ImageFetchResult.failed(Failure.IO_ERROR, e.toString());
        }
        if (!result.isFetched()) {
            log.warn(
                    "{}: {} ({}) for {}",
                    fallback,
                    result.failure().orElseThrow(),
                    result.detail(),
                    describeForLog(url));
        }
        return result;
    }

    /** Connections opened so far (tests assert that refused targets never got one). */
    long connectionAttempts() {
        return photoHttp == mediaHttp
                ? photoHttp.connectionAttempts()
                : photoHttp.connectionAttempts() + mediaHttp.connectionAttempts();
    }

    private static Failure failureOf(SafeHttpException.Reason reason) {
        return switch (reason) {
            case INVALID_URL -> Failure.INVALID_URL;
            case SCHEME_NOT_ALLOWED -> Failure.SCHEME_NOT_ALLOWED;
            case UNRESOLVABLE_HOST -> Failure.UNRESOLVABLE_HOST;
            case ADDRESS_NOT_ALLOWED -> Failure.ADDRESS_NOT_ALLOWED;
            case TOO_MANY_REDIRECTS -> Failure.TOO_MANY_REDIRECTS;
            case TOO_LARGE -> Failure.TOO_LARGE;
            case TIMEOUT -> Failure.TIMEOUT;
            case IO_ERROR -> Failure.IO_ERROR;
        };
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
}
