package io.tweetreel.composer;

import io.tweetreel.core.StageDefinition;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;

/** videos.screenshot → compose the reel → videos.composed. */
public final class ComposerTopology {
    public static final String FAILURE_CODE = "COMPOSE_FAILED";

    private ComposerTopology() {}

    public static StageDefinition<ScreenshotReady, VideoComposed> definition(Topics topics) {
        return new StageDefinition<>(
                "composer",
                topics.screenshot(),
                topics.composed(),
                topics.status(),
                topics.cancellations(),
                JobStep.composing_video,
                FAILURE_CODE,
                null);
    }
}
