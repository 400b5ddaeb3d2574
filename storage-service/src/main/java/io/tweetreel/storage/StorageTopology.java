package io.tweetreel.storage;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.StageDefinition;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;

/** videos.composed → file the reel → videos.stored, with the job's {@code completed} status in the same transaction. */
public final class StorageTopology {
    public static final String FAILURE_CODE = "STORAGE_FAILED";

    private StorageTopology() {}

    public static StageDefinition<VideoComposed, VideoStored> definition(Topics topics) {
        return new StageDefinition<>(
                "storage",
                topics.composed(),
                topics.stored(),
                topics.status(),
                topics.cancellations(),
                JobStep.saving_file,
                FAILURE_CODE,
                stored -> JobStatuses.completed(stored, Instant.now()));
    }
}
