package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}). Plain HTTP
 * errors use type {@code about:blank} with the status phrase as title; the gateway's own problems have a
 * {@code urn:tweetreel:problem:*} type that clients can branch on. {@code errors} lists bad request fields;
 * {@code extensions} are further members of the document (RFC 9457 section 3.2), such as a quota's {@code resetAt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a peer's problem may carry extension members
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        @JsonIgnore Map<String, String> headers,
        @JsonIgnore Map<String, Object> extensions) {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String INVALID_REQUEST = "urn:tweetreel:problem:invalid-request";
    public static final String MALFORMED_JSON = "urn:tweetreel:problem:malformed-json";
    public static final String IDEMPOTENCY_KEY_REUSED = "urn:tweetreel:problem:idempotency-key-reused";
    public static final String STORE_UNAVAILABLE = "urn:tweetreel:problem:temporarily-unavailable";
    public static final String VIDEO_EXPIRED = "urn:tweetreel:problem:video-expired";
    public static final String JOB_NOT_FINAL = "urn:tweetreel:problem:job-not-final";
    public static final String NO_WEBHOOK = "urn:tweetreel:problem:no-webhook";
    public static final String JOB_FINISHED = "urn:tweetreel:problem:job-finished";
    /** No valid API key (or admin token) with the request; with {@code WWW-Authenticate}. */
    public static final String UNAUTHORIZED = "urn:tweetreel:problem:unauthorized";

    public static final String RATE_LIMITED = "urn:tweetreel:problem:rate-limited";
    public static final String QUOTA_EXCEEDED = "urn:tweetreel:problem:quota-exceeded";

    public Problem {
        headers = headers == null ? Map.of() : headers;
        extensions = extensions == null ? Map.of() : extensions;
    }

    public Problem(
            String type,
            String title,
            int status,
            String detail,
            String instance,
            List<FieldError> errors,
            Map<String, String> headers) {
        this(type, title, status, detail, instance, errors, headers, Map.of());
    }

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", reason(status), status, detail, null, null, Map.of());
    }

    public static Problem typed(String type, String title, int status, String detail) {
        return new Problem(type, title, status, detail, null, null, Map.of());
    }

    /** 503 for what the gateway cannot do right now, with the client's cue when to try again. */
    public static Problem unavailable(TemporarilyUnavailableException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return typed(STORE_UNAVAILABLE, "Temporarily unavailable", 503, e.getMessage())
                .withHeader("Retry-After", Long.toString(seconds));
    }

    public static Problem invalid(List<FieldError> errors) {
        return new Problem(
                INVALID_REQUEST,
                "Invalid request",
                400,
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid",
                null,
                List.copyOf(errors),
                Map.of());
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors, headers, extensions);
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Problem(type, title, status, detail, instance, errors, Map.copyOf(all), extensions);
    }

    /** The document with a further member, e.g. {@code resetAt} of a quota. */
    public Problem withExtension(String name, Object value) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(extensions);
        all.put(name, value);
        return new Problem(type, title, status, detail, instance, errors, headers, Map.copyOf(all));
    }

    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return extensions;
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }

    /** Thrown by handlers to answer with a problem; the app's exception mapping writes it. */
    public static final class ProblemException extends RuntimeException {
        private final transient Problem problem;

        public ProblemException(Problem problem) {
            super(problem.title() + ": " + problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
