package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class StatusFanOutTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final SettableClock clock = new SettableClock(T0);
    private final StatusFanOut fanOut = new StatusFanOut(StatusFanOutTest::decode, Duration.ofMinutes(1), 5, clock);
    private long offset;

    /** The value names the step; "unreadable" cannot be decoded, as a record of an unknown schema could not. */
    private static JobStatus decode(ConsumerRecord<String, byte[]> record) {
        String step = new String(record.value(), StandardCharsets.UTF_8);
        if (step.equals("unreadable")) {
            throw new IllegalArgumentException("unknown schema id");
        }
        return step.equals("queued") ? JobStatuses.pending(T0) : JobStatuses.started(JobStep.valueOf(step), T0);
    }

    private void written(String jobId, String step) {
        fanOut.dispatch(new ConsumerRecord<>(
                "videos.status", 0, offset++, jobId, step == null ? null : step.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> steps(List<JobStatus> got) {
        return got.stream().map(s -> s.getCurrentStep().name()).toList();
    }

    @Test
    void aLateSubscriberFirstGetsItsJobsRecentUpdatesInOrderThenTheNewOnes() {
        written("job-a", "queued");
        written("job-b", "queued");
        written("job-a", "generating_screenshot");
        List<JobStatus> got = new ArrayList<>();

        fanOut.subscribe("job-a", got::add);
        assertThat(steps(got)).containsExactly("queued", "generating_screenshot");

        written("job-b", "generating_screenshot");
        written("job-a", "composing_video");
        assertThat(steps(got)).containsExactly("queued", "generating_screenshot", "composing_video");
    }

    @Test
    void updatesOlderThanTheWindowAreNotReplayed() {
        written("job-a", "queued");
        clock.advance(Duration.ofSeconds(45));
        written("job-a", "generating_screenshot");
        clock.advance(Duration.ofSeconds(30)); // queued is 75 s old now, the render 30 s
        written("job-b", "queued"); // a write is what evicts

        List<JobStatus> got = new ArrayList<>();
        fanOut.subscribe("job-a", got::add);

        assertThat(steps(got)).containsExactly("generating_screenshot");
    }

    @Test
    void aBurstKeepsOnlyTheNewestRecords() {
        for (int i = 0; i < 7; i++) {
            written("job-" + i, "queued");
        }
        assertThat(fanOut.keptRecords()).isEqualTo(5);

        List<JobStatus> oldest = new ArrayList<>();
        fanOut.subscribe("job-0", oldest::add);
        List<JobStatus> newest = new ArrayList<>();
        fanOut.subscribe("job-6", newest::add);

        assertThat(oldest).isEmpty();
        assertThat(steps(newest)).containsExactly("queued");
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndOthersOfTheSameJobStillDo() {
        List<JobStatus> first = new ArrayList<>();
        List<JobStatus> second = new ArrayList<>();
        StatusFeed.Subscription closed = fanOut.subscribe("job-a", first::add);
        fanOut.subscribe("job-a", second::add);

        closed.close();
        written("job-a", "queued");

        assertThat(first).isEmpty();
        assertThat(steps(second)).containsExactly("queued");
    }

    @Test
    void unreadableTombstonedAndKeylessRecordsAreSkippedAndLaterOnesStillArrive() {
        List<JobStatus> got = new ArrayList<>();
        fanOut.subscribe("job-a", got::add);

        written("job-a", "unreadable");
        written("job-a", null);
        written(null, "queued");
        written("job-a", "composing_video");

        assertThat(steps(got)).containsExactly("composing_video");
    }
}
