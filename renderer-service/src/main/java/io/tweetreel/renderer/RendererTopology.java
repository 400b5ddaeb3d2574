package io.tweetreel.renderer;

import io.tweetreel.core.StageDefinition;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import org.apache.kafka.streams.Topology;

/** videos.requested → render the card → videos.screenshot. */
public final class RendererTopology {
    public static final String FAILURE_CODE = "RENDER_FAILED";

    private RendererTopology() {
    }

    public static StageDefinition<VideoRequested, ScreenshotReady> definition(Topics topics) {
        return new StageDefinition<>("renderer", topics.requested(), topics.screenshot(), topics.status(),
                JobStep.generating_screenshot, FAILURE_CODE, null);
    }

    public static Topology build(Topics topics, StageWork<VideoRequested, ScreenshotReady> work,
                                 StageRuntime runtime) {
        return StageTopology.build(definition(topics), work, runtime);
    }
}
