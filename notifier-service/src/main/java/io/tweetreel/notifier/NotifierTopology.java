package io.tweetreel.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobView;
import io.tweetreel.core.Json;
import io.tweetreel.core.WebhookEvents;
import io.tweetreel.notifier.WebhookDispatcher.Attempt;
import io.tweetreel.notifier.WebhookDispatcher.Message;
import io.tweetreel.schemas.BatchOutcome;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's stream: requests, statuses and redeliver commands of a job (all keyed by jobId, so co-partitioned)
 * meet in one processor that keeps the job's webhook schedule in changelogged state stores.
 *
 * <ol>
 *   <li>{@code videos.requested}: a request with a {@code webhookUrl} is remembered (URL, metadata) until the job
 *       ends; requests without one are not stored at all.</li>
 *   <li>{@code videos.status}: the first final status of a remembered job becomes ONE event (repeats are ignored):
 *       its body, built once, is {@code {"type","timestamp","data": job JSON as the API shows it + metadata}} and
 *       its {@code webhook-id} is derived from jobId and type, so every attempt sends the same event.</li>
 *   <li>Every {@code tick} (wall clock) the punctuator applies the attempts that finished since the last tick and
 *       hands the due ones to the {@link WebhookDispatcher}, which sends in the background: the stream thread
 *       never waits for a receiver. Each finished attempt becomes a {@link WebhookDelivery} on the delivery log;
 *       success ends the schedule, a retryable failure schedules the next attempt by {@code retrySchedule} until it
 *       is used up (then gave_up), a permanent one (refused address, invalid URL) is never retried.</li>
 *   <li>{@code videos.webhook-commands}: redeliver sends the kept event again now, with the same webhook-id, also
 *       after a give-up; a failed redelivery is not retried. batch_completed (keyed by batchId, from the gateway
 *       when every item of a batch is final) becomes the batch's one {@code batch.completed} event, kept and
 *       scheduled under the batchId exactly like a job's event.</li>
 * </ol>
 *
 * <p>Durability: the schedule lives in the stores, committed with the delivery log under exactly-once, so a
 * notifier killed between attempts resumes the schedule where it was. An attempt handed out is first recorded as a
 * lease ({@code attemptLease}, longer than the send timeout); if its result is never applied (crash, or the task
 * moved to another instance) the lease runs out and the attempt is simply made again.
 */
public final class NotifierTopology {
    private static final Logger log = LoggerFactory.getLogger(NotifierTopology.class);

    public static final String SUBSCRIPTIONS_STORE = "webhook-subscriptions";
    public static final String EVENTS_STORE = "webhook-events";
    public static final String DUE_STORE = "webhook-due";
    static final String PROCESSOR = "webhooks";
    /** The event of a batch whose items are all final; keyed, scheduled and logged under the batchId. */
    public static final String BATCH_COMPLETED = "batch.completed";
    /** Upper bound of due entries looked at in one tick, so one tick stays short whatever the backlog. */
    static final int MAX_DUE_PER_TICK = 10_000;

    /**
     * @param retrySchedule delays between a failed attempt and the next one; used up = give up
     * @param attemptLease  how long an attempt handed to the sender is waited for before it is made again
     * @param retention     how long a finished event (for redelivery) or a request whose job never ended is kept
     * @param tick          how often finished attempts are applied and due ones handed out
     */
    public record Settings(List<Duration> retrySchedule, Duration attemptLease, Duration retention, Duration tick) {
        public Settings {
            retrySchedule = List.copyOf(retrySchedule);
        }
    }

    private NotifierTopology() {}

    public static Topology build(
            Topics topics, WebhookDispatcher sender, Settings settings, Clock clock, MeterRegistry metrics) {
        Topology topology = new Topology();
        topology.addSource(
                "requests",
                topics.requested().keySerde().deserializer(),
                topics.requested().valueSerde().deserializer(),
                topics.requested().name());
        topology.addSource(
                "statuses",
                topics.status().keySerde().deserializer(),
                topics.status().valueSerde().deserializer(),
                topics.status().name());
        topology.addSource(
                "commands",
                topics.webhookCommands().keySerde().deserializer(),
                topics.webhookCommands().valueSerde().deserializer(),
                topics.webhookCommands().name());
        DeliveryMeters meters = new DeliveryMeters(metrics);
        topology.addProcessor(
                PROCESSOR,
                () -> new WebhookProcessor(sender, settings, clock, meters),
                "requests",
                "statuses",
                "commands");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SUBSCRIPTIONS_STORE),
                        Serdes.String(),
                        JsonSerde.of(Subscription.class)),
                PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EVENTS_STORE),
                        Serdes.String(),
                        JsonSerde.of(WebhookEvent.class)),
                PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DUE_STORE), Serdes.String(), Serdes.String()),
                PROCESSOR);
        topology.addSink(
                "delivery-log",
                topics.webhookDeliveries().name(),
                topics.webhookDeliveries().keySerde().serializer(),
                topics.webhookDeliveries().valueSerde().serializer(),
                PROCESSOR);
        return topology;
    }

    /** {@code webhook-id} of a job's event: the same for every attempt and redelivery of it. */
    public static String webhookId(String jobId, String eventType) {
        return WebhookEvents.webhookId(jobId, eventType);
    }

    /**
     * Where to send a job's event, remembered from its request until the job ends.
     *
     * @param keyId the API key that created the job (its webhook secret signs the event); null without keys
     */
    public record Subscription(
            String url, Map<String, String> metadata, Instant createdAt, Instant rememberedAt, String keyId) {}

    /** Where an event stands. */
    public enum EventState {
        /** waiting for {@code nextAttemptAt} */
        SCHEDULED,
        /** handed to the sender; made again at {@code nextAttemptAt} (the lease's end) if no result came back */
        SENDING,
        DELIVERED,
        GAVE_UP,
        REFUSED
    }

    /**
     * A job's event and its schedule.
     *
     * @param attempts     attempts handed out so far (the next one is {@code attempts + 1})
     * @param retriesUsed  delays of the retry schedule used so far
     * @param manual       the current or next attempt is a redelivery, not retried when it fails
     * @param deliveredAt  first 2xx, null before
     * @param keyId        the API key whose webhook secret signs the event (looked up at each attempt, so a rotated
     *                     secret signs the retries); null: the notifier's WEBHOOK_SECRET
     */
    public record WebhookEvent(
            String webhookId,
            String type,
            String url,
            String body,
            Instant finalAt,
            EventState state,
            int attempts,
            int retriesUsed,
            boolean manual,
            Instant nextAttemptAt,
            Instant deliveredAt,
            String keyId) {
        WebhookEvent with(EventState newState, Instant next) {
            return new WebhookEvent(
                    webhookId,
                    type,
                    url,
                    body,
                    finalAt,
                    newState,
                    attempts,
                    retriesUsed,
                    manual,
                    next,
                    deliveredAt,
                    keyId);
        }
    }

    private static final class DeliveryMeters {
        private final Map<WebhookOutcome, Counter> byOutcome = new EnumMap<>(WebhookOutcome.class);
        private final Timer latency;

        DeliveryMeters(MeterRegistry metrics) {
            for (WebhookOutcome outcome : WebhookOutcome.values()) {
                byOutcome.put(
                        outcome,
                        Counter.builder("tweetreel.webhook.deliveries")
                                .tag("outcome", outcome.name())
                                .description("Webhook attempts by what they led to")
                                .register(metrics));
            }
            latency = Timer.builder("tweetreel.webhook.delivery.latency")
                    .description("From a job's final status to the first 2xx of its webhook")
                    .publishPercentileHistogram()
                    .register(metrics);
        }
    }

    private static final class WebhookProcessor implements Processor<String, Object, String, WebhookDelivery> {
        private final WebhookDispatcher sender;
        private final Settings settings;
        private final Clock clock;
        private final DeliveryMeters meters;
        /** Filled by sender threads, drained on the stream thread by the punctuator. */
        private final Queue<Attempt> finished = new ConcurrentLinkedQueue<>();

        private ProcessorContext<String, WebhookDelivery> context;
        private KeyValueStore<String, Subscription> subscriptions;
        private KeyValueStore<String, WebhookEvent> events;
        private KeyValueStore<String, String> due;

        WebhookProcessor(WebhookDispatcher sender, Settings settings, Clock clock, DeliveryMeters meters) {
            this.sender = sender;
            this.settings = settings;
            this.clock = clock;
            this.meters = meters;
        }

        @Override
        public void init(ProcessorContext<String, WebhookDelivery> context) {
            this.context = context;
            subscriptions = context.getStateStore(SUBSCRIPTIONS_STORE);
            events = context.getStateStore(EVENTS_STORE);
            due = context.getStateStore(DUE_STORE);
            context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> tick());
            Duration sweepEvery = settings.retention().compareTo(Duration.ofHours(2)) > 0
                    ? Duration.ofHours(1)
                    : settings.retention().dividedBy(2);
            context.schedule(sweepEvery, PunctuationType.WALL_CLOCK_TIME, timestamp -> forgetExpired());
        }

        @Override
        public void process(Record<String, Object> record) {
            String jobId = record.key();
            if (jobId == null) {
                return;
            }
            if (record.value() instanceof VideoRequested request) {
                remember(jobId, request, Instant.ofEpochMilli(record.timestamp()));
            } else if (record.value() instanceof JobStatus status) {
                onStatus(jobId, status);
            } else if (record.value() instanceof WebhookCommand command) {
                onCommand(jobId, command);
            }
        }

        private void remember(String jobId, VideoRequested request, Instant recordTime) {
            String url = request.getWebhookUrl();
            if (url == null || url.isBlank()) {
                return;
            }
            Instant createdAt = request.getRequestedAt() != null ? request.getRequestedAt() : recordTime;
            Subscription known = subscriptions.get(jobId);
            if (known != null && known.createdAt() != null) {
                createdAt = known.createdAt();
            }
            subscriptions.put(
                    jobId,
                    new Subscription(
                            url.trim(),
                            Map.copyOf(request.getMetadata()),
                            createdAt,
                            clock.instant(),
                            request.getKeyId()));
        }

        private void onStatus(String jobId, JobStatus status) {
            Subscription subscription = subscriptions.get(jobId);
            if (subscription == null) {
                return; // no webhook for this job, or its event exists already
            }
            if (!JobStatuses.isFinal(status)) {
                // the job's first status carries the createdAt the API shows; keep it for the event's job JSON
                if (status.getCreatedAt() != null && !status.getCreatedAt().equals(subscription.createdAt())) {
                    subscriptions.put(
                            jobId,
                            new Subscription(
                                    subscription.url(),
                                    subscription.metadata(),
                                    status.getCreatedAt(),
                                    subscription.rememberedAt(),
                                    subscription.keyId()));
                }
                return;
            }
            if (events.get(jobId) != null) {
                return;
            }
            Instant now = clock.instant();
            String type = WebhookEvents.type(status);
            JobStatus shown = status.getCreatedAt() != null || subscription.createdAt() == null
                    ? status
                    : JobStatus.newBuilder(status)
                            .setCreatedAt(subscription.createdAt())
                            .build();
            WebhookEvent event = new WebhookEvent(
                    webhookId(jobId, type),
                    type,
                    subscription.url(),
                    body(type, now, JobView.of(jobId, shown, subscription.metadata())),
                    status.getUpdatedAt(),
                    EventState.SCHEDULED,
                    0,
                    0,
                    false,
                    now,
                    null,
                    subscription.keyId());
            subscriptions.delete(jobId);
            save(jobId, null, event);
            log.info(
                    "job {} is {}: webhook {} to {}",
                    jobId,
                    status.getStatus(),
                    event.webhookId(),
                    WebhookSender.endpoint(event.url()));
            dispatch(jobId, event, now);
        }

        private void onCommand(String jobId, WebhookCommand command) {
            if (command.getAction() == WebhookAction.batch_completed) {
                onBatchCompleted(jobId, command);
                return;
            }
            if (command.getAction() != WebhookAction.redeliver) {
                return;
            }
            WebhookEvent event = events.get(jobId);
            Instant now = clock.instant();
            if (event == null) {
                log.info("job {}: nothing to redeliver (no webhook event kept)", jobId);
                return;
            }
            if (event.state() == EventState.SENDING) {
                log.info("job {}: webhook {} is being sent right now; redeliver ignored", jobId, event.webhookId());
                return;
            }
            WebhookEvent again = event.state() == EventState.SCHEDULED
                    ? event.with(EventState.SCHEDULED, now)
                    : new WebhookEvent(
                            event.webhookId(),
                            event.type(),
                            event.url(),
                            event.body(),
                            event.finalAt(),
                            EventState.SCHEDULED,
                            event.attempts(),
                            event.retriesUsed(),
                            true,
                            now,
                            event.deliveredAt(),
                            event.keyId());
            save(jobId, event, again);
            log.info("job {}: webhook {} redelivered on request", jobId, event.webhookId());
            dispatch(jobId, again, now);
        }

        /**
         * The gateway saw every item of a batch final: its batch.completed event is scheduled under the batchId like
         * a job's event, so it gets the same signing, retries, leases and delivery log (and redeliver works on it).
         */
        private void onBatchCompleted(String batchId, WebhookCommand command) {
            BatchOutcome batch = command.getBatch();
            String url = command.getWebhookUrl();
            if (batch == null || url == null || url.isBlank()) {
                log.warn("batch {}: batch_completed without batch or webhookUrl; nothing to send", batchId);
                return;
            }
            if (events.get(batchId) != null) {
                return; // the event exists already: a repeated command sends nothing new
            }
            Instant now = clock.instant();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("batchId", batch.getBatchId());
            data.put("total", batch.getTotal());
            data.put("completed", batch.getCompleted());
            data.put("failed", batch.getFailed());
            data.put("canceled", batch.getCanceled());
            data.put("metadata", new TreeMap<>(batch.getMetadata()));
            WebhookEvent event = new WebhookEvent(
                    webhookId(batchId, BATCH_COMPLETED),
                    BATCH_COMPLETED,
                    url.trim(),
                    body(BATCH_COMPLETED, now, data),
                    command.getRequestedAt(),
                    EventState.SCHEDULED,
                    0,
                    0,
                    false,
                    now,
                    null,
                    command.getKeyId());
            save(batchId, null, event);
            log.info(
                    "batch {} is complete: webhook {} to {}",
                    batchId,
                    event.webhookId(),
                    WebhookSender.endpoint(event.url()));
            dispatch(batchId, event, now);
        }

        private void tick() {
            for (Attempt attempt; (attempt = finished.poll()) != null; ) {
                apply(attempt);
            }
            Instant now = clock.instant();
            List<KeyValue<String, String>> ready = new ArrayList<>();
            try (KeyValueIterator<String, String> it = due.range(dueKey(Instant.EPOCH, ""), dueKey(now, "~"))) {
                while (it.hasNext() && ready.size() < MAX_DUE_PER_TICK) {
                    ready.add(it.next());
                }
            }
            for (KeyValue<String, String> entry : ready) {
                String jobId = entry.value;
                WebhookEvent event = events.get(jobId);
                boolean pending =
                        event != null && (event.state() == EventState.SCHEDULED || event.state() == EventState.SENDING);
                if (!pending || !entry.key.equals(dueKey(event.nextAttemptAt(), jobId))) {
                    due.delete(entry.key); // left over from an older schedule of the job
                    continue;
                }
                if (event.state() == EventState.SENDING) {
                    log.warn(
                            "job {}: no result of attempt {} of webhook {} within its lease; trying again",
                            jobId,
                            event.attempts(),
                            event.webhookId());
                }
                dispatch(jobId, event, now);
            }
        }

        /** Hands the event to the sender unless it is at its limits; then it stays due for the next tick. */
        private void dispatch(String jobId, WebhookEvent event, Instant now) {
            int attempt = event.attempts() + 1;
            Message message = new Message(jobId, attempt, event.webhookId(), event.url(), event.body(), event.keyId());
            if (!sender.trySend(message, finished::add)) {
                return;
            }
            save(
                    jobId,
                    event,
                    new WebhookEvent(
                            event.webhookId(),
                            event.type(),
                            event.url(),
                            event.body(),
                            event.finalAt(),
                            EventState.SENDING,
                            attempt,
                            event.retriesUsed(),
                            event.manual(),
                            now.plus(settings.attemptLease()),
                            event.deliveredAt(),
                            event.keyId()));
        }

        private void apply(Attempt attempt) {
            String jobId = attempt.message().jobId();
            WebhookEvent event = events.get(jobId);
            if (event == null || event.attempts() != attempt.message().attempt()) {
                log.info(
                        "job {}: result of attempt {} came after a newer one was made; dropped",
                        jobId,
                        attempt.message().attempt());
                return;
            }
            Instant finishedAt = attempt.finishedAt();
            WebhookEvent next;
            WebhookOutcome outcome;
            switch (attempt.result()) {
                case DELIVERED -> {
                    outcome = WebhookOutcome.delivered;
                    if (event.deliveredAt() == null) {
                        meters.latency.record(Duration.between(event.finalAt(), finishedAt));
                    }
                    next = new WebhookEvent(
                            event.webhookId(),
                            event.type(),
                            event.url(),
                            event.body(),
                            event.finalAt(),
                            EventState.DELIVERED,
                            event.attempts(),
                            event.retriesUsed(),
                            false,
                            null,
                            event.deliveredAt() != null ? event.deliveredAt() : finishedAt,
                            event.keyId());
                }
                case PERMANENT -> {
                    outcome = WebhookOutcome.refused;
                    next = event.with(EventState.REFUSED, null);
                }
                default -> {
                    List<Duration> schedule = settings.retrySchedule();
                    if (event.manual() || event.retriesUsed() >= schedule.size()) {
                        outcome = WebhookOutcome.gave_up;
                        next = event.with(EventState.GAVE_UP, null);
                    } else {
                        outcome = WebhookOutcome.retrying;
                        next = new WebhookEvent(
                                event.webhookId(),
                                event.type(),
                                event.url(),
                                event.body(),
                                event.finalAt(),
                                EventState.SCHEDULED,
                                event.attempts(),
                                event.retriesUsed() + 1,
                                false,
                                finishedAt.plus(schedule.get(event.retriesUsed())),
                                event.deliveredAt(),
                                event.keyId());
                    }
                }
            }
            save(jobId, event, next);
            meters.byOutcome.get(outcome).increment();
            if (outcome == WebhookOutcome.delivered) {
                log.info(
                        "job {}: webhook {} delivered (attempt {}, HTTP {})",
                        jobId,
                        event.webhookId(),
                        event.attempts(),
                        attempt.statusCode());
            } else {
                log.warn(
                        "job {}: webhook {} attempt {} failed: {}; {}",
                        jobId,
                        event.webhookId(),
                        event.attempts(),
                        attempt.error(),
                        next.nextAttemptAt() == null ? outcome : "next at " + next.nextAttemptAt());
            }
            WebhookDelivery delivery = WebhookDelivery.newBuilder()
                    .setWebhookId(event.webhookId())
                    .setJobId(jobId)
                    .setEvent(event.type())
                    .setAttempt(event.attempts())
                    .setAt(attempt.startedAt())
                    .setOutcome(outcome)
                    .setStatusCode(attempt.statusCode())
                    .setError(attempt.error())
                    .setDurationMs(attempt.duration().toMillis())
                    .setNextAttemptAt(next.nextAttemptAt())
                    .setUrl(event.url())
                    .build();
            context.forward(new Record<>(jobId, delivery, clock.millis()));
        }

        /** Replaces {@code before} by {@code after}, keeping the due index in step with {@code nextAttemptAt}. */
        private void save(String jobId, WebhookEvent before, WebhookEvent after) {
            if (before != null && before.nextAttemptAt() != null) {
                due.delete(dueKey(before.nextAttemptAt(), jobId));
            }
            events.put(jobId, after);
            if (after.nextAttemptAt() != null) {
                due.put(dueKey(after.nextAttemptAt(), jobId), jobId);
            }
        }

        /** Drops finished events and requests of jobs that never ended, once older than the retention. */
        private void forgetExpired() {
            Instant cutoff = clock.instant().minus(settings.retention());
            List<String> expiredEvents = new ArrayList<>();
            try (KeyValueIterator<String, WebhookEvent> it = events.all()) {
                it.forEachRemaining(e -> {
                    boolean done = e.value.nextAttemptAt() == null;
                    if (done && e.value.finalAt().isBefore(cutoff)) {
                        expiredEvents.add(e.key);
                    }
                });
            }
            expiredEvents.forEach(events::delete);
            List<String> expiredRequests = new ArrayList<>();
            try (KeyValueIterator<String, Subscription> it = subscriptions.all()) {
                it.forEachRemaining(s -> {
                    if (s.value.rememberedAt().isBefore(cutoff)) {
                        expiredRequests.add(s.key);
                    }
                });
            }
            expiredRequests.forEach(subscriptions::delete);
        }
    }

    /** Due-index keys sort by time: zero-padded epoch millis, then the job id. */
    static String dueKey(Instant at, String jobId) {
        return String.format("%013d|%s", Math.max(0, at.toEpochMilli()), jobId);
    }

    static String body(String type, Instant timestamp, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.put("data", data);
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's data always serialises", e);
        }
    }
}
