package io.tweetreel.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic contract: every topic's name and the serdes of its key (the job id, a UUID string) and value.
 * Services get their {@link Topic}s from here and nowhere else.
 */
public final class Topics {
    public static final String VIDEOS_REQUESTED = "videos.requested";
    public static final String VIDEOS_SCREENSHOT = "videos.screenshot";
    public static final String VIDEOS_COMPOSED = "videos.composed";
    public static final String VIDEOS_STORED = "videos.stored";
    public static final String VIDEOS_STATUS = "videos.status";
    public static final String VIDEOS_DEAD_LETTER = "videos.dead-letter";
    /** The notifier's log of webhook attempts, one record per attempt. */
    public static final String VIDEOS_WEBHOOK_DELIVERIES = "videos.webhook-deliveries";
    /** Instructions to the notifier (redeliver); keyed by jobId like the status, so the job's owner gets them. */
    public static final String VIDEOS_WEBHOOK_COMMANDS = "videos.webhook-commands";
    /** Cancel requests, keyed by jobId; every instance of every stage reads all of it (not as a group member). */
    public static final String VIDEOS_CANCELLATIONS = "videos.cancellations";
    /** Batches as accepted, keyed by batchId. */
    public static final String VIDEOS_BATCHES = "videos.batches";
    /**
     * Batch items waiting for their turn, keyed by jobId: the gateway's batch scheduler moves them to
     * {@code videos.requested} a few at a time, so a backfill never queues ahead of a single job.
     */
    public static final String VIDEOS_BATCH_QUEUE = "videos.batch-queue";
    /**
     * API keys (hashes, limits, webhook secrets), keyed by key id: every gateway instance and the notifier read all
     * of it. Compacted and never deleted by age; readable by those services only.
     */
    public static final String VIDEOS_API_KEYS = "videos.api-keys";

    /** Every topic the pipeline uses, in pipeline order, then the notifier's, then job control's, then access'. */
    public static final List<String> ALL = List.of(
            VIDEOS_REQUESTED,
            VIDEOS_SCREENSHOT,
            VIDEOS_COMPOSED,
            VIDEOS_STORED,
            VIDEOS_STATUS,
            VIDEOS_DEAD_LETTER,
            VIDEOS_WEBHOOK_DELIVERIES,
            VIDEOS_WEBHOOK_COMMANDS,
            VIDEOS_CANCELLATIONS,
            VIDEOS_BATCHES,
            VIDEOS_BATCH_QUEUE,
            VIDEOS_API_KEYS);

    static {
        // Avro 1.12 refuses to instantiate SpecificRecords of packages it was not told about.
        String key = "org.apache.avro.SERIALIZABLE_PACKAGES";
        String current = System.getProperty(key);
        if (current == null || current.isBlank()) {
            System.setProperty(key, "io.tweetreel");
        } else if (!current.contains("io.tweetreel")) {
            System.setProperty(key, current + ",io.tweetreel");
        }
    }

    private final Topic<String, VideoRequested> requested;
    private final Topic<String, ScreenshotReady> screenshot;
    private final Topic<String, VideoComposed> composed;
    private final Topic<String, VideoStored> stored;
    private final Topic<String, JobStatus> status;
    private final Topic<byte[], byte[]> deadLetter;
    private final Topic<String, WebhookDelivery> webhookDeliveries;
    private final Topic<String, WebhookCommand> webhookCommands;
    private final Topic<String, JobCancellation> cancellations;
    private final Topic<String, VideoBatch> batches;
    private final Topic<String, VideoRequested> batchQueue;
    private final Topic<String, ApiKey> apiKeys;

    private Topics(SerdeFactory serdes) {
        Serde<String> key = Serdes.String();
        requested = new Topic<>(VIDEOS_REQUESTED, key, serdes.valueSerde(VideoRequested.class));
        screenshot = new Topic<>(VIDEOS_SCREENSHOT, key, serdes.valueSerde(ScreenshotReady.class));
        composed = new Topic<>(VIDEOS_COMPOSED, key, serdes.valueSerde(VideoComposed.class));
        stored = new Topic<>(VIDEOS_STORED, key, serdes.valueSerde(VideoStored.class));
        status = new Topic<>(VIDEOS_STATUS, key, serdes.valueSerde(JobStatus.class));
        deadLetter = new Topic<>(VIDEOS_DEAD_LETTER, Serdes.ByteArray(), Serdes.ByteArray());
        webhookDeliveries = new Topic<>(VIDEOS_WEBHOOK_DELIVERIES, key, serdes.valueSerde(WebhookDelivery.class));
        webhookCommands = new Topic<>(VIDEOS_WEBHOOK_COMMANDS, key, serdes.valueSerde(WebhookCommand.class));
        cancellations = new Topic<>(VIDEOS_CANCELLATIONS, key, serdes.valueSerde(JobCancellation.class));
        batches = new Topic<>(VIDEOS_BATCHES, key, serdes.valueSerde(VideoBatch.class));
        batchQueue = new Topic<>(VIDEOS_BATCH_QUEUE, key, serdes.valueSerde(VideoRequested.class));
        apiKeys = new Topic<>(VIDEOS_API_KEYS, key, serdes.valueSerde(ApiKey.class));
    }

    /** Topics whose values go through the schema registry at {@code registryUrl} (…/apis/registry/v3). */
    public static Topics withRegistry(String registryUrl) {
        return new Topics(new RegistrySerdeFactory(registryUrl));
    }

    public static Topics with(SerdeFactory serdes) {
        return new Topics(serdes);
    }

    public Topic<String, VideoRequested> requested() {
        return requested;
    }

    public Topic<String, ScreenshotReady> screenshot() {
        return screenshot;
    }

    public Topic<String, VideoComposed> composed() {
        return composed;
    }

    public Topic<String, VideoStored> stored() {
        return stored;
    }

    public Topic<String, JobStatus> status() {
        return status;
    }

    public Topic<byte[], byte[]> deadLetter() {
        return deadLetter;
    }

    public Topic<String, WebhookDelivery> webhookDeliveries() {
        return webhookDeliveries;
    }

    public Topic<String, WebhookCommand> webhookCommands() {
        return webhookCommands;
    }

    public Topic<String, JobCancellation> cancellations() {
        return cancellations;
    }

    public Topic<String, VideoBatch> batches() {
        return batches;
    }

    public Topic<String, VideoRequested> batchQueue() {
        return batchQueue;
    }

    public Topic<String, ApiKey> apiKeys() {
        return apiKeys;
    }
}
