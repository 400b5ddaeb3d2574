package io.tweetreel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Batch ids and the job ids of a batch's items, UUID strings like {@link JobIds}. An item's job id is derived from
 * the batch id and the item's index, so a batch id alone tells every item's id: a retry with the same
 * Idempotency-Key gets the same ids on every gateway instance without asking anyone.
 */
public final class BatchIds {
    /** Not the namespace of {@link JobIds}: a key used for a job and for a batch names two different things. */
    private static final String IDEMPOTENCY_NAMESPACE = "tweetreel:batch-idempotency-key:";

    private static final String KEYED_IDEMPOTENCY_NAMESPACE = "tweetreel:api-key-batch-idempotency-key:";

    private static final String ITEM_NAMESPACE = "tweetreel:batch-item:";

    private BatchIds() {}

    public static String random() {
        return UUID.randomUUID().toString();
    }

    public static String fromIdempotencyKey(String key) {
        return nameBased(IDEMPOTENCY_NAMESPACE + key);
    }

    /** As {@link JobIds#fromIdempotencyKey(String, String)}: each API key has its own Idempotency-Keys. */
    public static String fromIdempotencyKey(String apiKeyId, String key) {
        return apiKeyId == null
                ? fromIdempotencyKey(key)
                : nameBased(KEYED_IDEMPOTENCY_NAMESPACE + apiKeyId + ":" + key);
    }

    /** The job id of the item at {@code index} (0-based) of the batch. */
    public static String itemJobId(String batchId, int index) {
        return nameBased(ITEM_NAMESPACE + batchId + ":" + index);
    }

    public static List<String> itemJobIds(String batchId, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(itemJobId(batchId, i));
        }
        return ids;
    }

    private static String nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
