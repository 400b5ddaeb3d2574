package io.tweetreel.core.http;

/** Why {@link SafeHttpClient} did not return a response. The message says what exactly, without the query string. */
public final class SafeHttpException extends Exception {

    /** What went wrong, for callers that react differently (a refused address is permanent, a timeout may not be). */
    public enum Reason {
        INVALID_URL,
        SCHEME_NOT_ALLOWED,
        UNRESOLVABLE_HOST,
        ADDRESS_NOT_ALLOWED,
        TOO_MANY_REDIRECTS,
        TOO_LARGE,
        TIMEOUT,
        IO_ERROR
    }

    private final Reason reason;

    public SafeHttpException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
