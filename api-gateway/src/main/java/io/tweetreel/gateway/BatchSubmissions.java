package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/batches}: checks every item with the job rules and publishes the batch, answering 202
 * {@code {batchId, statusUrl, jobs: [{jobId}...]}} in item order.
 * <ul>
 *   <li>Any invalid item refuses the whole batch: 400 listing every bad field of every item as
 *       {@code items[3].tweetBody}; nothing is published then.</li>
 *   <li>The batch, each item (on {@code videos.batch-queue}, {@code batchId} set, where the batch scheduler picks
 *       it up) and each item's {@code pending} status are one Kafka transaction ({@link BatchPublisher}).</li>
 *   <li>Idempotency-Key as for jobs ({@link JobSubmissions}): the batch id comes from the key
 *       ({@link BatchIds#fromIdempotencyKey}) and the item ids from the batch id, so a retry with the same body
 *       answers the same batch again (header {@code Idempotent-Replayed: true}) without publishing; a different
 *       body answers 409. "Same body" is the {@link BatchSummary#fingerprint}.</li>
 *   <li>The body may be up to {@value #MAX_BODY_BYTES} bytes (500 items of 2000 characters of any script, with
 *       metadata); {@code POST /api/generate} keeps its own, much smaller limit.</li>
 *   <li>Access: the batch and each item record the caller's key id; a batch without a {@code webhookUrl} gets the
 *       key's default one (for its batch.completed; items keep their own, as with an explicit batch webhook). A
 *       new batch passes the caller's limits ({@link KeyAdmission}) at its item count, after validation; a 400 and
 *       a replay cost nothing. Idempotency-Keys are per API key.</li>
 * </ul>
 */
public final class BatchSubmissions {
    public static final int MAX_ITEMS = 500;
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** An oversized body up to this is read to its end before the 413, so the client gets the answer. */
    private static final long MAX_DRAINED_BYTES = MAX_BODY_BYTES + 1024 * 1024;

    static final String ITEMS = "items";
    private static final Set<String> FIELDS = Set.of(ITEMS, RequestRules.WEBHOOK_URL, RequestRules.METADATA);
    private static final Logger log = LoggerFactory.getLogger(BatchSubmissions.class);
    private static final int LOCK_STRIPES = 64;

    private final BatchPublisher publisher;
    private final BatchQueries queries;
    private final RecentBatches recentBatches;
    private final RecentSubmissions recentJobs;
    private final KeyAdmission admission;
    private final String baseUrl;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Object[] keyLocks = new Object[LOCK_STRIPES];

    public BatchSubmissions(
            BatchPublisher publisher,
            BatchQueries queries,
            RecentBatches recentBatches,
            RecentSubmissions recentJobs,
            KeyAdmission admission,
            String baseUrl,
            Clock clock,
            MeterRegistry meters) {
        this.publisher = publisher;
        this.queries = queries;
        this.recentBatches = recentBatches;
        this.recentJobs = recentJobs;
        this.admission = admission;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.meters = meters;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            keyLocks[i] = new Object();
        }
    }

    public record JobRef(String jobId) {}

    public record Accepted(String batchId, String statusUrl, List<JobRef> jobs) {}

    /** A batch that passed every rule: items normalised as for a single job, batchId and requestedAt not set. */
    record Validated(List<VideoRequested> items, String webhookUrl, Map<String, String> metadata) {
        String fingerprint() {
            return BatchSummary.fingerprint(webhookUrl, metadata, items);
        }
    }

    public void handle(Context ctx) {
        JobSubmissions.requireJson(ctx.header("Content-Type"));
        byte[] body = JobSubmissions.readBounded(ctx, MAX_BODY_BYTES, MAX_DRAINED_BYTES);
        JsonNode tree = JobSubmissions.parse(body);
        String idempotencyKey = ctx.header("Idempotency-Key");
        if (idempotencyKey != null && !JobIds.isValidIdempotencyKey(idempotencyKey)) {
            throw Problem.invalid(
                            List.of(new FieldError("Idempotency-Key", "must be 1 to 255 printable ASCII characters")))
                    .toException();
        }
        Caller caller = Caller.of(ctx);
        Validated batch = ownedBy(validate(tree, clock), caller);
        String fingerprint = batch.fingerprint();

        boolean replayed = false;
        String batchId;
        List<String> jobIds;
        if (idempotencyKey == null) {
            batchId = BatchIds.random();
            admission.admit(ctx, batch.items().size());
            jobIds = publish(batchId, batch, fingerprint, caller.keyId());
        } else {
            batchId = BatchIds.fromIdempotencyKey(caller.keyId(), idempotencyKey);
            synchronized (keyLocks[Math.floorMod(batchId.hashCode(), LOCK_STRIPES)]) {
                Optional<BatchSummary> known = recentBatches.find(batchId).or(() -> queries.batch(batchId));
                if (known.isEmpty()) {
                    admission.admit(ctx, batch.items().size());
                    jobIds = publish(batchId, batch, fingerprint, caller.keyId());
                } else if (fingerprint.equals(known.get().fingerprint())) {
                    replayed = true;
                    jobIds = known.get().jobIds();
                    meters.counter("gateway.batches.replayed").increment();
                } else {
                    meters.counter("gateway.batches.conflicts").increment();
                    throw Problem.typed(
                                    Problem.IDEMPOTENCY_KEY_REUSED,
                                    "Idempotency-Key reused",
                                    409,
                                    "this Idempotency-Key was already used for a different batch")
                            .toException();
                }
            }
        }
        if (replayed) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.header("Location", "/api/batches/" + batchId);
        ctx.status(202)
                .json(new Accepted(
                        batchId,
                        baseUrl + "/api/batches/" + batchId,
                        jobIds.stream().map(JobRef::new).toList()));
    }

    /** The batch as the caller's: items carry its key id; the key's default webhook when the batch names none. */
    private static Validated ownedBy(Validated batch, Caller caller) {
        if (caller.key() == null) {
            return batch;
        }
        List<VideoRequested> items = batch.items().stream()
                .map(item ->
                        VideoRequested.newBuilder(item).setKeyId(caller.keyId()).build())
                .toList();
        String webhookUrl = batch.webhookUrl() == null ? caller.key().getWebhookUrl() : batch.webhookUrl();
        return new Validated(items, webhookUrl, batch.metadata());
    }

    private List<String> publish(String batchId, Validated validated, String fingerprint, String keyId) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        List<String> jobIds = BatchIds.itemJobIds(batchId, validated.items().size());
        List<BatchPublisher.Item> items = new ArrayList<>(jobIds.size());
        for (int i = 0; i < jobIds.size(); i++) {
            VideoRequested request = VideoRequested.newBuilder(validated.items().get(i))
                    .setRequestedAt(now)
                    .setBatchId(batchId)
                    .build();
            JobStatus pending = JobStatus.newBuilder(JobStatuses.pending(now))
                    .setKeyId(keyId)
                    .build();
            items.add(new BatchPublisher.Item(jobIds.get(i), request, pending));
        }
        VideoBatch batch = VideoBatch.newBuilder()
                .setJobIds(jobIds)
                .setWebhookUrl(validated.webhookUrl())
                .setMetadata(validated.metadata())
                .setCreatedAt(now)
                .setKeyId(keyId)
                .build();
        Timer.Sample publishing = Timer.start(meters);
        publisher.publish(batchId, batch, fingerprint, items);
        publishing.stop(meters.timer("gateway.batches.publish"));
        recentBatches.add(batchId, BatchSummary.of(batch, fingerprint));
        for (BatchPublisher.Item item : items) {
            JobStatus pending = item.pending();
            recentJobs.add(new RecentSubmissions.Submission(
                    item.jobId(), RequestSummary.of(item.request()), pending, pending.getCreatedAt()));
        }
        meters.counter("gateway.batches.submitted").increment();
        meters.counter("gateway.jobs.submitted").increment(items.size());
        log.info("batch {} accepted: {} items", batchId, items.size());
        return jobIds;
    }

    /**
     * Every rule at once: the batch's own fields ({@code webhookUrl}, {@code metadata}, no unknown ones), the item
     * count, and each item as {@link RequestValidation} checks a job, its errors named {@code items[i].field}.
     */
    static Validated validate(JsonNode body, Clock clock) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw Problem.invalid(List.of(new FieldError("", "the body must be a JSON object")))
                    .toException();
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(RequestValidation.echoFieldName(name), "is not a known field"));
            }
        }
        List<VideoRequested> items = new ArrayList<>();
        JsonNode itemsNode = body.get(ITEMS);
        if (itemsNode == null || itemsNode.isNull()) {
            errors.add(new FieldError(ITEMS, RequestRules.missing(ITEMS).message()));
        } else if (!itemsNode.isArray()) {
            errors.add(new FieldError(ITEMS, "must be an array of job requests"));
        } else if (itemsNode.isEmpty()) {
            errors.add(new FieldError(ITEMS, "must hold at least 1 item"));
        } else if (itemsNode.size() > MAX_ITEMS) {
            errors.add(new FieldError(
                    ITEMS, "must hold at most " + MAX_ITEMS + " items (this one has " + itemsNode.size() + ")"));
        } else {
            for (int i = 0; i < itemsNode.size(); i++) {
                RequestValidation.Outcome outcome = RequestValidation.validate(itemsNode.get(i), clock);
                String prefix = ITEMS + "[" + i + "]";
                for (FieldError error : outcome.errors()) {
                    String field = error.field().isEmpty() ? prefix : prefix + "." + error.field();
                    errors.add(new FieldError(field, error.message()));
                }
                if (outcome.valid()) {
                    items.add(outcome.request());
                }
            }
        }
        RequestValidation.WebhookAndMetadata own = RequestValidation.webhookAndMetadata(body, errors);
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors).toException();
        }
        return new Validated(List.copyOf(items), own.webhookUrl(), own.metadata());
    }
}
