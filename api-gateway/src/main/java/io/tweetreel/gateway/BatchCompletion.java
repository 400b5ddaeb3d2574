package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.BatchOutcome;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Notices when every item of a batch is final and asks the notifier, with a {@code batch_completed}
 * {@link WebhookCommand} keyed by batchId on {@code videos.webhook-commands}, to send {@code batch.completed} to the
 * batch's webhookUrl. Reads the batch lane (the batch as accepted, and each item's first final state) and keeps
 * {@value #STORE}: batchId → {@link Progress}. The batch and its items' outcomes may come in either order; an item
 * counts once.
 */
final class BatchCompletion implements Processor<String, BatchLaneEvent, String, WebhookCommand> {
    static final String STORE = "batch-progress";

    private ProcessorContext<String, WebhookCommand> context;
    private KeyValueStore<String, Progress> progress;

    @Override
    public void init(ProcessorContext<String, WebhookCommand> context) {
        this.context = context;
        this.progress = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, BatchLaneEvent> record) {
        BatchLaneEvent event = record.value();
        if (event == null || event.batchId() == null || event.kind() == BatchLaneEvent.Kind.QUEUED) {
            return;
        }
        Progress known = progress.get(event.batchId());
        if (known == null) {
            known = Progress.NOTHING_YET;
        }
        if (known.notified()) {
            return;
        }
        Progress now = event.kind() == BatchLaneEvent.Kind.ACCEPTED
                ? known.accepted(event)
                : known.withOutcome(event.jobId(), event.outcome());
        if (now.allFinal()) {
            if (now.webhookUrl() != null && !now.webhookUrl().isBlank()) {
                context.forward(
                        new Record<>(event.batchId(), command(event.batchId(), now, record), record.timestamp()));
            }
            now = now.notifiedOnce();
        }
        progress.put(event.batchId(), now);
    }

    private static WebhookCommand command(String batchId, Progress done, Record<String, BatchLaneEvent> cause) {
        BatchOutcome outcome = BatchOutcome.newBuilder()
                .setBatchId(batchId)
                .setTotal(done.total())
                .setCompleted(done.count(JobState.completed))
                .setFailed(done.count(JobState.failed))
                .setCanceled(done.count(JobState.canceled))
                .setMetadata(done.metadata())
                .build();
        return WebhookCommand.newBuilder()
                .setAction(WebhookAction.batch_completed)
                .setRequestedAt(Instant.ofEpochMilli(cause.timestamp()))
                .setWebhookUrl(done.webhookUrl().trim())
                .setBatch(outcome)
                // the notifier signs batch.completed with this key's webhook secret (WEBHOOK_SECRET without one)
                .setKeyId(done.keyId())
                .build();
    }

    /**
     * Where a batch stands.
     *
     * @param total      items of the batch, -1 while the batch itself has not been read
     * @param webhookUrl where batch.completed goes, null for nowhere
     * @param metadata   the batch's metadata
     * @param outcomes   jobId → first final state of each item final so far
     * @param notified   batch.completed was asked for (or the batch ended without a webhook): nothing more to do
     * @param keyId      the API key that made the batch, null for none (and in progress stored before keys)
     */
    record Progress(
            int total,
            String webhookUrl,
            Map<String, String> metadata,
            Map<String, JobState> outcomes,
            boolean notified,
            String keyId) {
        static final Progress NOTHING_YET = new Progress(-1, null, Map.of(), Map.of(), false, null);

        Progress {
            metadata = metadata == null ? Map.of() : new TreeMap<>(metadata);
            outcomes = outcomes == null ? Map.of() : new TreeMap<>(outcomes);
        }

        Progress accepted(BatchLaneEvent batch) {
            return new Progress(batch.total(), batch.webhookUrl(), batch.metadata(), outcomes, notified, batch.keyId());
        }

        Progress withOutcome(String jobId, JobState state) {
            if (outcomes.containsKey(jobId)) {
                return this;
            }
            Map<String, JobState> more = new TreeMap<>(outcomes);
            more.put(jobId, state);
            return new Progress(total, webhookUrl, metadata, more, notified, keyId);
        }

        boolean allFinal() {
            return total >= 0 && outcomes.size() >= total;
        }

        int count(JobState state) {
            return (int) outcomes.values().stream().filter(state::equals).count();
        }

        /** What is left once the batch is done: a late repeat of an outcome must not count again. */
        Progress notifiedOnce() {
            return new Progress(total, null, Map.of(), Map.of(), true, null);
        }

        static Serde<Progress> serde() {
            return Serdes.serdeFrom(
                    (topic, value) -> {
                        try {
                            return value == null ? null : Json.MAPPER.writeValueAsBytes(value);
                        } catch (JsonProcessingException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    (topic, bytes) -> {
                        try {
                            return bytes == null ? null : Json.MAPPER.readValue(bytes, Progress.class);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }
}
