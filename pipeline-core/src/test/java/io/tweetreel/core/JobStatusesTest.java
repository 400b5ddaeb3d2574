package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobStatusesTest {
    private final Instant t0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void progressNeverGoesBackwards() {
        JobStatus known = JobStatuses.merge(
                JobStatuses.pending(t0), JobStatuses.started(JobStep.composing_video, t0.plusSeconds(2)));
        JobStatus late = JobStatuses.started(JobStep.generating_screenshot, t0.plusSeconds(3));
        JobStatus merged = JobStatuses.merge(known, late);
        assertThat(merged.getCurrentStep()).isEqualTo(JobStep.composing_video);
        assertThat(merged.getProgress()).isEqualTo(60);
        assertThat(merged.getCreatedAt()).isEqualTo(t0);
    }

    @Test
    void theOwningKeySurvivesEveryLaterUpdateAndALatePending() {
        JobStatus owned =
                JobStatus.newBuilder(JobStatuses.pending(t0)).setKeyId("key_a").build();
        JobStatus merged = JobStatuses.merge(owned, JobStatuses.started(JobStep.composing_video, t0.plusSeconds(1)));
        merged = JobStatuses.merge(merged, JobStatuses.canceled(JobStep.composing_video, 60, t0.plusSeconds(2)));
        assertThat(merged.getStatus()).isEqualTo(JobState.canceled);
        assertThat(merged.getKeyId()).isEqualTo("key_a");

        // the pending status read after a stage's update (its progress is lower) still names the owner
        JobStatus early = JobStatuses.merge(null, JobStatuses.started(JobStep.generating_screenshot, t0));
        assertThat(JobStatuses.merge(early, owned).getKeyId()).isEqualTo("key_a");
        assertThat(JobStatuses.merge(early, owned).getProgress()).isEqualTo(early.getProgress());
    }

    @Test
    void finalStatesAreFinal() {
        JobStatus failed = JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "bad png", t0);
        JobStatus merged = JobStatuses.merge(failed, JobStatuses.started(JobStep.saving_file, t0.plusSeconds(1)));
        assertThat(merged.getStatus()).isEqualTo(JobState.failed);
    }

    @Test
    void failureAfterProgressIsKeptAndCreatedAtSurvives() {
        JobStatus known =
                JobStatuses.merge(JobStatuses.pending(t0), JobStatuses.processing(JobStep.composing_video, 75, t0));
        JobStatus merged =
                JobStatuses.merge(known, JobStatuses.failed(JobStep.composing_video, "X", "y", t0.plusSeconds(5)));
        assertThat(merged.getStatus()).isEqualTo(JobState.failed);
        assertThat(merged.getCreatedAt()).isEqualTo(t0);
    }

    @Test
    void firstSeenUpdateDefinesCreatedAtWhenNoPendingWasWritten() {
        JobStatus merged = JobStatuses.merge(null, JobStatuses.started(JobStep.generating_screenshot, t0));
        assertThat(merged.getCreatedAt()).isEqualTo(t0);
    }

    @Test
    void completedCarriesTheResult() {
        VideoStored stored = VideoStored.newBuilder()
                .setFilename("2026-11-28_" + "a".repeat(32) + ".mp4")
                .setDownloadUrl("http://localhost:3000/download/x.mp4")
                .setExpiresAt(t0.plusSeconds(86400))
                .setFileSize(123)
                .setDurationSeconds(5.0)
                .setResolution("1080x1920")
                .setStoredAt(t0)
                .build();
        JobStatus completed = JobStatuses.completed(stored, t0);
        assertThat(completed.getProgress()).isEqualTo(100);
        assertThat(completed.getJobResult().getResolution()).isEqualTo("1080x1920");
        assertThat(completed.getJobResult().getDuration()).isEqualTo(5.0);
    }
}
