package io.tweetreel.renderer;

import java.util.Objects;
import java.util.Optional;

/** Outcome of {@link ImageFetcher#fetch}: a data URI, or why the card falls back to an initials avatar. */
public final class ImageFetchResult {

    /** Why a photo was not used. */
    public enum Failure {
        /** No URL given: not an error, the card simply uses initials. */
        NO_URL,
        INVALID_URL,
        SCHEME_NOT_ALLOWED,
        UNRESOLVABLE_HOST,
        ADDRESS_NOT_ALLOWED,
        TOO_MANY_REDIRECTS,
        HTTP_STATUS,
        TOO_LARGE,
        TIMEOUT,
        NOT_AN_IMAGE,
        IO_ERROR
    }

    private final String dataUri;
    private final Failure failure;
    private final String detail;

    private ImageFetchResult(String dataUri, Failure failure, String detail) {
        this.dataUri = dataUri;
        this.failure = failure;
        this.detail = detail;
    }

    static ImageFetchResult fetched(String dataUri, String detail) {
        return new ImageFetchResult(Objects.requireNonNull(dataUri), null, detail);
    }

    static ImageFetchResult failed(Failure failure, String detail) {
        return new ImageFetchResult(null, Objects.requireNonNull(failure), detail);
    }

    public boolean isFetched() {
        return dataUri != null;
    }

    /** {@code data:image/...;base64,...} ready for {@link CardTemplate#render}, when fetched. */
    public Optional<String> dataUri() {
        return Optional.ofNullable(dataUri);
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Human-readable specifics (the refused address, the HTTP status, the image size...). */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return isFetched()
                ? "ImageFetchResult[fetched, " + detail + "]"
                : "ImageFetchResult[" + failure + ": " + detail + "]";
    }
}
