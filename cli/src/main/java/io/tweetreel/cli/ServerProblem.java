package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The gateway refused a request: its RFC 9457 problem document (title, detail, one message per bad field), or for an
 * answer that is not one (a proxy's error page, say) the HTTP status and what was asked. Shown as text, never as a
 * stack trace.
 */
final class ServerProblem extends RuntimeException {
    record FieldMessage(String field, String message) {}

    private final int status;
    private final String title;
    private final String detail;
    private final List<FieldMessage> fields;

    private ServerProblem(int status, String title, String detail, List<FieldMessage> fields) {
        super(title + (detail == null ? "" : ": " + detail), null, false, false);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.fields = List.copyOf(fields);
    }

    /** From a response with an error status; {@code body} is null when it was not JSON. */
    static ServerProblem of(int status, String request, JsonNode body) {
        if (body == null || !body.isObject() || !body.hasNonNull("title")) {
            return new ServerProblem(status, "HTTP " + status + " from " + request, null, List.of());
        }
        List<FieldMessage> fields = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            fields.add(new FieldMessage(
                    error.path("field").asText(), error.path("message").asText()));
        }
        String detail = body.hasNonNull("detail") ? body.get("detail").asText() : null;
        return new ServerProblem(status, body.get("title").asText(), detail, fields);
    }

    /**
     * A 401: the gateway wants a credential, or refused the one sent. The problem's title is left out: the message
     * says the same in the client's words.
     */
    static ServerProblem unauthorized(Credential credential, JsonNode body) {
        return new ServerProblem(401, credential.refusal(detail(body)), null, List.of());
    }

    /**
     * A 429: too many requests for the key's rate (try again after {@code retryAfter} seconds), or its daily quota is
     * used (the problem type ends in {@code quota-exceeded}; {@code resetAt} says when it starts again).
     */
    static ServerProblem limited(String retryAfter, JsonNode body) {
        String detail = detail(body);
        String type = body == null ? "" : body.path("type").asText("");
        String title;
        if (type.endsWith("quota-exceeded")) {
            String resetAt = body.path("resetAt").asText("");
            title = "daily quota used" + (resetAt.isEmpty() ? "" : ": it resets at " + resetAt);
        } else {
            title = "too many requests" + (retryAfter == null ? "" : ": try again in " + retryAfter + " s");
        }
        return new ServerProblem(429, title, detail, List.of());
    }

    private static String detail(JsonNode body) {
        return body != null && body.hasNonNull("detail") ? body.get("detail").asText() : null;
    }

    /** An answer the client cannot read, e.g. {@code "an event that is not JSON"}. */
    static ServerProblem unreadable(int status, String what) {
        return new ServerProblem(status, "the gateway sent " + what, null, List.of());
    }

    int status() {
        return status;
    }

    List<FieldMessage> fields() {
        return fields;
    }

    /** The same problem with each field named for the user, e.g. {@code tweetBody} as {@code tweetBody (--text)}. */
    ServerProblem withFieldNames(UnaryOperator<String> name) {
        List<FieldMessage> named = fields.stream()
                .map(f -> new FieldMessage(name.apply(f.field()), f.message()))
                .toList();
        return new ServerProblem(status, title, detail, named);
    }

    /** The title and detail on the first line, then one indented line per field. */
    String describe() {
        StringBuilder text = new StringBuilder(getMessage());
        for (FieldMessage field : fields) {
            text.append(System.lineSeparator()).append("  ");
            if (!field.field().isEmpty()) {
                text.append(field.field()).append(": ");
            }
            text.append(field.message());
        }
        return text.toString();
    }
}
