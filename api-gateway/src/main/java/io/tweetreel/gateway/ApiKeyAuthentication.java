package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.schemas.ApiKey;
import java.util.Locale;
import java.util.Optional;

/**
 * The check in front of every {@code /api/*} call when {@code API_AUTH=keys} (the OpenAPI document excepted): the
 * request must carry {@code Authorization: Bearer <key>} with a key this instance knows and that is not revoked;
 * otherwise 401 with {@code WWW-Authenticate: Bearer} (RFC 6750: {@code error="invalid_token"} when a key was sent
 * but is not one). Unknown and revoked keys get the same answer, so a caller cannot learn which keys once existed.
 * The caller's key is put on the request ({@link Caller#on}) for the handlers.
 */
final class ApiKeyAuthentication {
    static final String OPEN_PATH = "/api/openapi.json";
    private static final String SCHEME = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"tweetreel\"";
    private static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

    private final ApiKeyStore keys;

    ApiKeyAuthentication(ApiKeyStore keys) {
        this.keys = keys;
    }

    void handle(Context ctx) {
        if (ctx.path().equals(OPEN_PATH)) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized(CHALLENGE, "send an API key as Authorization: Bearer <key>");
        }
        // RFC 9110: the scheme is case-insensitive; the token is the rest, one space after it
        if (authorization.length() <= SCHEME.length()
                || !authorization
                        .substring(0, SCHEME.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(SCHEME)) {
            throw unauthorized(INVALID_TOKEN, "the Authorization header must be Bearer <key>");
        }
        String presented = authorization.substring(SCHEME.length()).strip();
        Optional<ApiKey> key = keys.byKey(presented).filter(k -> k.getRevokedAt() == null);
        if (key.isEmpty()) {
            throw unauthorized(INVALID_TOKEN, "the API key is not valid (unknown or revoked)");
        }
        new Caller(key.get()).on(ctx);
    }

    static Problem.ProblemException unauthorized(String challenge, String detail) {
        return Problem.typed(Problem.UNAUTHORIZED, "Unauthorized", 401, detail)
                .withHeader("WWW-Authenticate", challenge)
                .toException();
    }
}
