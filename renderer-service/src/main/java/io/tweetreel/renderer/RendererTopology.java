package io.tweetreel.renderer;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.StageDefinition;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;

/** videos.requested → render the card in every format → videos.screenshot (+ the job's warnings, if any). */
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
                RendererTopology::warningStatus);
    }

    /**
     * What the render did without (images not on the card), told as soon as the card exists: the job's status at
     * this step with the warnings; the status table keeps them to the end. {@code null} without warnings: nothing
     * to say, the composer announces itself next.
     */
    static JobStatus warningStatus(ScreenshotReady screenshot) {
        if (screenshot.getWarnings().isEmpty()) {
            return null;
        }
        return JobStatuses.started(JobStep.generating_screenshot, screenshot.getWarnings(), screenshot.getRenderedAt());
    }
}
