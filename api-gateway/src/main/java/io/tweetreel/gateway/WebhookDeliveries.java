package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.WebhookEvents;
import io.tweetreel.schemas.JobStatus;

/**
 * A job's webhook over HTTP:
 * <ul>
 *   <li>{@code GET /api/jobs/{jobId}/deliveries}: the attempts the notifier logged ({@link DeliveryLog}), oldest
 *       first; {@code []} for a known job without any; 404 for an unknown job.</li>
 *   <li>{@code POST /api/jobs/{jobId}/deliveries/redeliver}: asks the notifier to send the job's final event again
 *       now (same {@code webhook-id}, also after its retries gave up) and answers 202 with the event's names; the
 *       attempt shows up in the deliveries. 404 for an unknown job; 409 while the job is not final (there is no
 *       event yet) and for a job without a {@code webhookUrl} (there is nowhere to send it).</li>
 * </ul>
 * Another API key's job answers 404 to both, as an unknown one.
 */
public final class WebhookDeliveries {
    private final JobLookup lookup;
    private final JobQueries queries;
    private final WebhookCommands commands;
    private final String baseUrl;

    public WebhookDeliveries(JobLookup lookup, JobQueries queries, WebhookCommands commands, String baseUrl) {
        this.lookup = lookup;
        this.queries = queries;
        this.commands = commands;
        this.baseUrl = baseUrl;
    }

    /** The 202's body: which event will be sent again, and where to watch its attempt. */
    public record Redelivery(String jobId, String event, String webhookId, String deliveriesUrl) {}

    public void list(Context ctx) {
        String jobId = JobLookup.jobId(ctx);
        lookup.current(jobId, Caller.of(ctx))
                .orElseThrow(() -> JobLookup.notFound(jobId).toException());
        DeliveryLog deliveries = queries.deliveries(jobId).orElse(DeliveryLog.EMPTY);
        ctx.header("Cache-Control", "no-store").json(deliveries);
    }

    public void redeliver(Context ctx) {
        String jobId = JobLookup.jobId(ctx);
        JobStatus status = lookup.current(jobId, Caller.of(ctx))
                .orElseThrow(() -> JobLookup.notFound(jobId).toException());
        if (!JobStatuses.isFinal(status)) {
            throw Problem.typed(
                            Problem.JOB_NOT_FINAL,
                            "Job not final",
                            409,
                            "job " + jobId + " is " + status.getStatus()
                                    + "; its webhook is sent when it is completed, failed or canceled")
                    .toException();
        }
        boolean hasWebhook =
                lookup.request(jobId).map(RequestSummary::hasWebhook).orElse(false);
        if (!hasWebhook) {
            throw Problem.typed(
                            Problem.NO_WEBHOOK,
                            "No webhook",
                            409,
                            "job " + jobId + " was requested without a webhookUrl; there is nothing to redeliver")
                    .toException();
        }
        commands.redeliver(jobId);
        String event = WebhookEvents.type(status);
        String path = "/api/jobs/" + jobId + "/deliveries";
        ctx.header("Location", path)
                .header("Cache-Control", "no-store")
                .status(202)
                .json(new Redelivery(jobId, event, WebhookEvents.webhookId(jobId, event), baseUrl + path));
    }
}
