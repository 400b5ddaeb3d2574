package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.Json;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /internal/limits/{keyId}?cost=n}, body {@link KeyRates}: what {@link PeerLimits} of another gateway
 * instance asks. 200 with the admission JSON (allowed or not) when this instance owns the key; 503 when it does not
 * (yet), and the asking instance decides alone.
 */
public final class PeerLimitEndpoint {
    static final String PATH = "/internal/limits/{keyId}";
    private static final Pattern KEY_ID = Pattern.compile("^key_[A-Za-z0-9]{1,64}$");
    private static final int MAX_COST = BatchSubmissions.MAX_ITEMS;

    private final SharedKeyLimits limits;

    public PeerLimitEndpoint(SharedKeyLimits limits) {
        this.limits = limits;
    }

    static String path(String keyId) {
        return "/internal/limits/" + keyId;
    }

    public void handle(Context ctx) {
        String keyId = ctx.pathParam("keyId");
        int cost;
        KeyRates rates;
        try {
            cost = Integer.parseInt(ctx.queryParam("cost"));
            rates = Json.MAPPER.readValue(ctx.bodyAsBytes(), KeyRates.class);
        } catch (NumberFormatException | IOException e) {
            throw Problem.of(400, "send ?cost=n and the key's rates as JSON").toException();
        }
        if (!KEY_ID.matcher(keyId).matches() || cost < 1 || cost > MAX_COST || rates.perMinute() <= 0) {
            throw Problem.of(400, "no such key id, cost or rates").toException();
        }
        var admission = limits.admitAsOwner(keyId, rates, cost)
                .orElseThrow(() -> Problem.of(503, "this instance does not decide for " + keyId + " now")
                        .toException());
        ctx.json(admission);
    }
}
