package io.tweetreel.renderer;

import io.tweetreel.core.StageDefinition;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;

/** videos.requested → render the card → videos.screenshot. */
public final class RendererTopology {
    public static final String FAILURE_CODE = "RENDER_FAILED";

    private RendererTopology() {}

    public static StageDefinition<VideoRequested, ScreenshotReady> definition(Topics topics) {
        return new StageDefinition<>(
                "renderer",
                topics.requested(),
                topics.screenshot(),
                topics.status(),
                topics.cancellations(),
                JobStep.generating_screenshot,
                FAILURE_CODE,
                null);
    }
}
