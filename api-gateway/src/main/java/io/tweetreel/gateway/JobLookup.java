package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.JobView;
import io.tweetreel.schemas.JobStatus;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/jobs/{jobId}}: the job from the status table with its request's {@code metadata} from the
 * request table (always present, {@code {}} when the request had none, as in the webhooks); a job this instance
 * accepted moments ago and the tables have not seen yet answers {@code pending} (from {@link RecentSubmissions})
 * rather than 404.
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

    /** What is kept of the job's request; empty while neither this instance nor the request table knows it. */
    public Optional<RequestSummary> request(String jobId) {
        Optional<RequestSummary> accepted = recent.find(jobId).map(RecentSubmissions.Submission::request);
        return accepted.isPresent() ? accepted : queries.request(jobId);
    }

    /** The job as the API shows it, empty when nobody knows it. */
    public Optional<JobView> view(String jobId) {
        return current(jobId).map(status -> JobView.of(jobId, status, metadata(request(jobId))));
    }

    /** A job's metadata as shown: {@code {}} for a request without metadata or one not (yet) known. */
    static Map<String, String> metadata(Optional<RequestSummary> request) {
        return request.map(RequestSummary::metadata).orElse(Map.of());
    }

    public void handle(Context ctx) {
        String jobId = jobId(ctx);
        JobView job = view(jobId).orElseThrow(() -> notFound(jobId).toException());
        ctx.header("Cache-Control", "no-store").json(job);
    }

    static String jobId(Context ctx) {
        return JobIds.parse(ctx.pathParam("jobId"))
                .orElseThrow(() -> Problem.of(400, "a job id is a UUID such as 123e4567-e89b-42d3-a456-426614174000")
                        .toException());
    }

    static Problem notFound(String jobId) {
        return Problem.of(404, "no job with id " + jobId);
    }
}
