package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.gateway.KeyLimits.Admission;
import io.tweetreel.gateway.KeyLimits.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-key limits over HTTP, in one place: {@link #admit} for the job-creating calls ({@code POST /api/generate}
 * costs 1, {@code POST /api/batches} its item count), {@link #showLimits} for every other {@code /api/*} answer of
 * an authenticated caller. Both put {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} on the answer, also when it turns out to be an error; a refused request answers 429
 * with {@code Retry-After}: problem type {@value Problem#RATE_LIMITED}, or {@value Problem#QUOTA_EXCEEDED} with
 * {@code resetAt} (the next midnight UTC). Anonymous callers ({@code API_AUTH=none}) have no limits.
 */
public final class KeyAdmission {
    private static final String HEADERS = "tweetreel.rate-limit-headers";

    private final KeyLimits limits;

    public KeyAdmission(KeyLimits limits) {
        this.limits = limits;
    }

    /** No limits at all: for a gateway (or a test) without keys. */
    public static KeyAdmission unlimited() {
        return new KeyAdmission(null);
    }

    /** Takes {@code cost} from the caller's limits, or throws the 429 problem; nothing for an anonymous caller. */
    public void admit(Context ctx, int cost) {
        Caller caller = Caller.of(ctx);
        if (caller.key() == null || limits == null) {
            return;
        }
        Admission admission = limits.admit(caller.key(), cost);
        Map<String, String> headers = headers(admission);
        remember(ctx, headers);
        if (admission.allowed()) {
            return;
        }
        Problem problem = admission.outcome() == Outcome.QUOTA_EXCEEDED
                ? Problem.typed(
                                Problem.QUOTA_EXCEEDED,
                                "Daily quota exceeded",
                                429,
                                "this key may create " + caller.key().getJobsPerDay() + " jobs per UTC day"
                                        + (cost > 1 ? " (this request asked for " + cost + ")" : "")
                                        + "; the quota resets at " + admission.quotaResetAt())
                        .withExtension("resetAt", admission.quotaResetAt().toString())
                : Problem.typed(
                        Problem.RATE_LIMITED,
                        "Rate limited",
                        429,
                        "this key may create " + caller.key().getRatePerMinute() + " jobs per minute (bursts of "
                                + caller.key().getBurst() + "); try again in " + admission.retryAfterSeconds()
                                + " s");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            problem = problem.withHeader(header.getKey(), header.getValue());
        }
        throw problem.withHeader("Retry-After", Long.toString(admission.retryAfterSeconds()))
                .toException();
    }

    /** Before-handler of {@code /api/*}: the caller's limits as they stand; takes nothing, asks nobody. */
    public void showLimits(Context ctx) {
        Caller caller = Caller.of(ctx);
        if (caller.key() == null || limits == null) {
            return;
        }
        remember(ctx, headers(limits.peek(caller.key())));
    }

    /** The rate-limit headers of this answer, to be set again on an error answer (which starts afresh). */
    static Map<String, String> headersOf(Context ctx) {
        Map<String, String> headers = ctx.attribute(HEADERS);
        return headers == null ? Map.of() : headers;
    }

    private static void remember(Context ctx, Map<String, String> headers) {
        ctx.attribute(HEADERS, headers);
        headers.forEach(ctx::header);
    }

    private static Map<String, String> headers(Admission admission) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Integer.toString(admission.limit()));
        headers.put("RateLimit-Remaining", Long.toString(admission.remaining()));
        headers.put("RateLimit-Reset", Long.toString(admission.resetSeconds()));
        return headers;
    }
}
