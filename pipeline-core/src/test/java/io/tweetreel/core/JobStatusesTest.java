package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.schemas.CaptionFiles;
import io.tweetreel.schemas.CaptionLinks;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.ReelOutput;
import io.tweetreel.schemas.StatusWarning;
import io.tweetreel.schemas.StoredOutput;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;
import java.util.List;
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
    void aLatePendingStillGivesTheJobItsEarlierCreatedAt() {
        // first seen through its request's record time, a millisecond after the gateway's clock; then a stage's
        // progress; then the gateway's own pending, otherwise ignored because its progress is lower
        JobStatus seen = JobStatuses.merge(null, JobStatuses.pending(t0.plusMillis(1)));
        JobStatus progressed =
                JobStatuses.merge(seen, JobStatuses.started(JobStep.generating_screenshot, t0.plusSeconds(1)));
        JobStatus merged = JobStatuses.merge(progressed, JobStatuses.pending(t0));
        assertThat(merged.getCurrentStep()).isEqualTo(JobStep.generating_screenshot);
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

    private static JobWarning warning(String field) {
        return JobWarning.newBuilder()
                .setCode("MEDIA_UNAVAILABLE")
                .setMessage("the image could not be fetched")
                .setField(field)
                .build();
    }

    private static List<String> warnedFields(JobStatus status) {
        return status.getWarnings().stream().map(StatusWarning::getField).toList();
    }

    private VideoStored.Builder storedV1() {
        return VideoStored.newBuilder()
                .setFilename("2026-11-28_" + "a".repeat(32) + ".mp4")
                .setDownloadUrl("http://localhost:3000/download/2026-11-28_" + "a".repeat(32) + ".mp4")
                .setExpiresAt(t0.plusSeconds(86400))
                .setFileSize(123)
                .setDurationSeconds(5.0)
                .setResolution("1080x1920")
                .setStoredAt(t0);
    }

    @Test
    void completedListsEachFormatsCaptionsAndTheFirstFormatsAsTheJobs() {
        String base = "http://localhost:3000/download/2026-11-28_";
        CaptionFiles portrait = new CaptionFiles(base + "a".repeat(32) + ".vtt", base + "a".repeat(32) + ".srt");
        CaptionFiles square = new CaptionFiles(base + "b".repeat(32) + ".vtt", base + "b".repeat(32) + ".srt");
        VideoStored stored = storedV1()
                .setCaptions(portrait)
                .setOutputs(List.of(
                        new StoredOutput(
                                "9:16",
                                "2026-11-28_" + "a".repeat(32) + ".mp4",
                                base + "a".repeat(32) + ".mp4",
                                123L,
                                5.0,
                                "1080x1920",
                                base + "a".repeat(32) + ".jpg",
                                portrait),
                        new StoredOutput(
                                "1:1",
                                "2026-11-28_" + "b".repeat(32) + ".mp4",
                                base + "b".repeat(32) + ".mp4",
                                456L,
                                5.0,
                                "1080x1080",
                                base + "b".repeat(32) + ".jpg",
                                square)))
                .build();

        JobResult result = JobStatuses.completed(stored, t0).getJobResult();

        assertThat(result.getCaptions())
                .isEqualTo(new CaptionLinks(base + "a".repeat(32) + ".vtt", base + "a".repeat(32) + ".srt"));
        assertThat(result.getOutputs())
                .extracting(ReelOutput::getCaptions)
                .containsExactly(
                        new CaptionLinks(base + "a".repeat(32) + ".vtt", base + "a".repeat(32) + ".srt"),
                        new CaptionLinks(base + "b".repeat(32) + ".vtt", base + "b".repeat(32) + ".srt"));
    }

    @Test
    void aStoredRecordBeforeCaptionsCompletesWithoutThem() {
        JobResult result = JobStatuses.completed(storedV1().build(), t0).getJobResult();
        assertThat(result.getCaptions()).isNull();
        assertThat(result.getOutputs())
                .singleElement()
                .extracting(ReelOutput::getCaptions)
                .isNull();
    }

    @Test
    void completedListsEveryFormatWithItsPoster() {
        String base = "http://localhost:3000/download/2026-11-28_";
        VideoStored stored = storedV1()
                .setPosterUrl(base + "a".repeat(32) + ".jpg")
                .setOutputs(List.of(
                        new StoredOutput(
                                "9:16",
                                "2026-11-28_" + "a".repeat(32) + ".mp4",
                                base + "a".repeat(32) + ".mp4",
                                123L,
                                5.0,
                                "1080x1920",
                                base + "a".repeat(32) + ".jpg",
                                null),
                        new StoredOutput(
                                "16:9",
                                "2026-11-28_" + "b".repeat(32) + ".mp4",
                                base + "b".repeat(32) + ".mp4",
                                456L,
                                5.0,
                                "1920x1080",
                                base + "b".repeat(32) + ".jpg",
                                null)))
                .build();
        JobStatus completed = JobStatuses.completed(stored, t0);
        assertThat(completed.getJobResult().getPosterUrl()).isEqualTo(base + "a".repeat(32) + ".jpg");
        assertThat(completed.getJobResult().getOutputs())
                .extracting(ReelOutput::getFormat, ReelOutput::getResolution, ReelOutput::getFileSize)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("9:16", "1080x1920", 123L),
                        org.assertj.core.groups.Tuple.tuple("16:9", "1920x1080", 456L));
        assertThat(completed.getJobResult().getOutputs().get(1).getPosterUrl())
                .isEqualTo(base + "b".repeat(32) + ".jpg");
    }

    @Test
    void aV1StoredRecordIsOneNineBySixteenOutputWithoutPoster() {
        JobStatus completed = JobStatuses.completed(storedV1().build(), t0);
        assertThat(completed.getJobResult().getPosterUrl()).isNull();
        assertThat(completed.getJobResult().getOutputs())
                .containsExactly(new ReelOutput(
                        "9:16",
                        "2026-11-28_" + "a".repeat(32) + ".mp4",
                        "http://localhost:3000/download/2026-11-28_" + "a".repeat(32) + ".mp4",
                        123L,
                        5.0,
                        "1080x1920",
                        null,
                        null));
    }

    @Test
    void warningsAreTheUnionOfEveryUpdateInFirstSeenOrder() {
        JobStatus known =
                JobStatuses.merge(JobStatuses.pending(t0), JobStatuses.started(JobStep.generating_screenshot, t0));
        known = JobStatuses.merge(
                known,
                JobStatuses.started(
                        JobStep.generating_screenshot, List.of(warning("media[2].url"), warning("media[0].url")), t0));
        // the same warning again (a re-run of the render) and a new one
        known = JobStatuses.merge(
                known,
                JobStatuses.started(
                        JobStep.generating_screenshot,
                        List.of(warning("media[0].url"), warning("quote.media[0].url")),
                        t0));
        assertThat(warnedFields(known)).containsExactly("media[2].url", "media[0].url", "quote.media[0].url");
        // a later update without warnings keeps them
        known = JobStatuses.merge(known, JobStatuses.started(JobStep.composing_video, t0.plusSeconds(1)));
        assertThat(known.getCurrentStep()).isEqualTo(JobStep.composing_video);
        assertThat(warnedFields(known)).containsExactly("media[2].url", "media[0].url", "quote.media[0].url");
    }

    @Test
    void warningsOfAStaleOrLateUpdateStillCount() {
        JobStatus composing = JobStatuses.merge(
                JobStatuses.pending(t0), JobStatuses.started(JobStep.composing_video, t0.plusSeconds(2)));
        JobStatus warned =
                JobStatuses.started(JobStep.generating_screenshot, List.of(warning("media[1].url")), t0.plusSeconds(1));

        JobStatus afterStale = JobStatuses.merge(composing, warned);
        assertThat(afterStale.getCurrentStep()).isEqualTo(JobStep.composing_video);
        assertThat(afterStale.getProgress()).isEqualTo(60);
        assertThat(warnedFields(afterStale)).containsExactly("media[1].url");

        JobStatus completed =
                JobStatuses.merge(composing, JobStatuses.completed(storedV1().build(), t0.plusSeconds(3)));
        JobStatus afterFinal = JobStatuses.merge(completed, warned);
        assertThat(afterFinal.getStatus()).isEqualTo(JobState.completed);
        assertThat(afterFinal.getJobResult()).isEqualTo(completed.getJobResult());
        assertThat(warnedFields(afterFinal)).containsExactly("media[1].url");
        assertThat(afterFinal.getWarnings().get(0).getCode()).isEqualTo("MEDIA_UNAVAILABLE");
        assertThat(afterFinal.getWarnings().get(0).getMessage()).isEqualTo("the image could not be fetched");
    }
}
