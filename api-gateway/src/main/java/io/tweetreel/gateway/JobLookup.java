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
 * rather than 404. Another API key's job answers 404 exactly as an unknown one ({@link Caller#owns}).
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

    /**
     * The job if the caller may see it: empty for an unknown job and for another key's, so both answer the same
     * 404. The owner comes with the status (also from the instance a lookup was forwarded to).
     */
    public Optional<JobStatus> current(String jobId, Caller caller) {
        return current(jobId).filter(status -> caller.owns(status.getKeyId()));
    }

    /** What is kept of the job's request; empty while neither this instance nor the request table knows it. */
    public Optional<RequestSummary> request(String jobId) {
        Optional<RequestSummary> accepted = recent.find(jobId).map(RecentSubmissions.Submission::request);
        return accepted.isPresent() ? accepted : queries.request(jobId);
    }

    /** The job as the API shows it to the caller, empty when nobody knows it or another key owns it. */
    public Optional<JobView> view(String jobId, Caller caller) {
        return current(jobId, caller).map(status -> JobView.of(jobId, status, metadata(request(jobId))));
    }

    /** A job's metadata as shown: {@code {}} for a request without metadata or one not (yet) known. */
    static Map<String, String> metadata(Optional<RequestSummary> request) {
        return request.map(RequestSummary::metadata).orElse(Map.of());
    }

    public void handle(Context ctx) {
        String jobId = jobId(ctx);
        JobView job =
                view(jobId, Caller.of(ctx)).orElseThrow(() -> notFound(jobId).toException());
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
