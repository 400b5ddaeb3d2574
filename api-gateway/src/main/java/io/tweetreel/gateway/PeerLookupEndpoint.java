package io.tweetreel.gateway;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * {@code GET /internal/stores/{store}/{key}}: what {@link PeerLookups} of another gateway instance asks. Answers
 * from this instance's own store only: 200 with the value as JSON, 404 when it has none, 503 when it does not own
 * the key (yet). With {@code ?replica=any} (asked when the owner is gone) a standby copy of the key's partition
 * answers too.
 */
public final class PeerLookupEndpoint {
    static final String PATH = "/internal/stores/{store}/{key}";

    private final JobStatusStore store;

    public PeerLookupEndpoint(JobStatusStore store) {
        this.store = store;
    }

    static String path(String store, String key) {
        return "/internal/stores/" + store + "/" + key;
    }

    static String replicaPath(String store, String key) {
        return path(store, key) + "?replica=any";
    }

    public void handle(Context ctx) {
        String storeName = ctx.pathParam("store");
        String key = ctx.pathParam("key");
        if (!JobStatusStore.STORES.contains(storeName) || !JobIds.isValid(key)) {
            throw Problem.of(404, "no such store or key").toException();
        }
        Optional<String> value = "any".equals(ctx.queryParam("replica"))
                ? store.replicaAnswer(storeName, key)
                : store.ownAnswer(storeName, key);
        if (value.isEmpty()) {
            throw Problem.of(404, "no such key").toException();
        }
        ctx.contentType("application/json").result(value.get());
    }
}
