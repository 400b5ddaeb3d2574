package io.tweetreel.gateway;

import java.util.Optional;

/** Point lookups in the batch table, wherever the key lives; empty for an unknown batch (see {@link JobQueries}). */
public interface BatchQueries {
    Optional<BatchSummary> batch(String batchId);
}
