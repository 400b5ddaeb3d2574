package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.JobView;
import io.tweetreel.schemas.JobStatus;
import java.util.Optional;

/**
 * {@code GET /api/jobs/{jobId}}: the job from the status table; a job this instance accepted moments ago and
 * the table has not seen yet answers {@code pending} (from {@link RecentSubmissions}) rather than 404.
 */
public final class JobLookup {
    private final JobQueries queries;
    private final RecentSubmissions recent;

    public JobLookup(JobQueries queries, RecentSubmissions recent) {
        this.queries = queries;
        this.recent = recent;
    }

    /** What is known of the job now; empty when nobody knows it. */
    public Optional<JobStatus> current(String jobId) {
        Optional<JobStatus> stored;
        try {
            stored = queries.status(jobId);
        } catch (TemporarilyUnavailableException e) {
            Optional<JobStatus> accepted = recent.find(jobId).map(RecentSubmissions.Submission::pending);
            if (accepted.isPresent()) {
                return accepted;
            }
            throw e;
        }
        return stored.isPresent() ? stored : recent.find(jobId).map(RecentSubmissions.Submission::pending);
    }

    public void handle(Context ctx) {
        String jobId = jobId(ctx);
        JobStatus status = current(jobId).orElseThrow(() -> notFound(jobId).toException());
        ctx.header("Cache-Control", "no-store").json(JobView.of(jobId, status));
    }

    static String jobId(Context ctx) {
        return JobIds.parse(ctx.pathParam("jobId")).orElseThrow(() -> Problem.of(400,
                "a job id is a UUID such as 123e4567-e89b-42d3-a456-426614174000").toException());
    }

    static Problem notFound(String jobId) {
        return Problem.of(404, "no job with id " + jobId);
    }
}
