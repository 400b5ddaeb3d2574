package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobView;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /api/jobs/{jobId}/cancel}: stops a job that has not finished.
 * <ul>
 *   <li>404 for an unknown job; 409 ({@value Problem#JOB_FINISHED}) for a job already completed or failed.</li>
 *   <li>Otherwise the {@code JobCancellation} is written to {@code videos.cancellations} (acknowledged by every
 *       in-sync replica; 503 when Kafka does not take it) and the answer waits, up to {@link #WAIT_FOR_FINAL}, for
 *       the job's final status: the status table turns the cancel into {@code canceled} on {@code videos.status}
 *       within a fraction of a second. 202 with the job JSON ({@code canceled}, where it stopped); 409 like a
 *       completed job when the job's completion reached {@code videos.status} first; 202 with the job as it stands
 *       when no final status came in time (the cancel is written and takes effect when the table reads it).</li>
 *   <li>A job already canceled answers 202 again and writes nothing: repeats are harmless.</li>
 * </ul>
 * The wait follows the {@link StatusFeed} (every update of {@code videos.status} as it is written, the same order
 * the table merges in, whose first final status is the one the table keeps), subscribed before the job is looked
 * up so that no update can fall between the two; nothing polls or sleeps.
 */
public final class JobCancellations {
    /** How long an answer waits for the cancel to show as the job's final status. */
    public static final Duration WAIT_FOR_FINAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(JobCancellations.class);

    private final JobLookup lookup;
    private final StatusFeed feed;
    private final CancellationPublisher publisher;
    private final Duration waitForFinal;

    public JobCancellations(JobLookup lookup, StatusFeed feed, CancellationPublisher publisher, Duration waitForFinal) {
        this.lookup = lookup;
        this.feed = feed;
        this.publisher = publisher;
        this.waitForFinal = waitForFinal;
    }

    public void handle(Context ctx) {
        String jobId = JobLookup.jobId(ctx); // another key's job: 404, and nothing is written
        CompletableFuture<JobStatus> firstFinal = new CompletableFuture<>();
        JobStatus status;
        try (StatusFeed.Subscription ignored = feed.subscribe(jobId, update -> {
            if (JobStatuses.isFinal(update)) {
                firstFinal.complete(update);
            }
        })) {
            status = lookup.current(jobId, Caller.of(ctx))
                    .orElseThrow(() -> JobLookup.notFound(jobId).toException());
            if (!JobStatuses.isFinal(status)) {
                publisher.cancel(jobId, null);
                MDC.put("jobId", jobId);
                try {
                    log.info("cancel of job {} requested at {}", jobId, status.getCurrentStep());
                } finally {
                    MDC.remove("jobId");
                }
                status = JobStatuses.merge(status, awaitFinal(jobId, firstFinal));
            }
        }
        if (status.getStatus() == JobState.completed || status.getStatus() == JobState.failed) {
            throw finished(jobId, status).toException();
        }
        JobView job = JobView.of(jobId, status, JobLookup.metadata(lookup.request(jobId)));
        ctx.header("Location", "/api/jobs/" + jobId)
                .header("Cache-Control", "no-store")
                .status(202)
                .json(job);
    }

    /** The job's first final status from the feed, else (none in time) what the table says now. */
    private JobStatus awaitFinal(String jobId, CompletableFuture<JobStatus> firstFinal) {
        try {
            return firstFinal.get(waitForFinal.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("cancel of job {} written; not final after {} ms", jobId, waitForFinal.toMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the feed never fails a wait", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lookup.current(jobId).orElseThrow(() -> JobLookup.notFound(jobId).toException());
    }

    private static Problem finished(String jobId, JobStatus status) {
        return Problem.typed(
                Problem.JOB_FINISHED,
                "Job already finished",
                409,
                "job " + jobId + " is " + status.getStatus() + "; only a job that has not finished can be canceled");
    }
}
