package io.tweetreel.core;

import io.tweetreel.schemas.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Names of a job's webhook event, which the notifier sends and the gateway reports (redelivery): both derive them
 * from the job alone, so they agree without asking each other.
 */
public final class WebhookEvents {
    private WebhookEvents() {}

    /** The event a final status becomes: {@code job.completed}, {@code job.failed} or {@code job.canceled}. */
    public static String type(JobStatus finalStatus) {
        return "job." + finalStatus.getStatus().name();
    }

    /** {@code webhook-id} of a job's event: the same for every attempt and redelivery of it. */
    public static String webhookId(String jobId, String eventType) {
        return "msg_" + UUID.nameUUIDFromBytes((jobId + "/" + eventType).getBytes(StandardCharsets.UTF_8));
    }
}
