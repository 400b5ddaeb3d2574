package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.Topic;
import java.time.Clock;
import java.util.List;

/**
 * {@link CancellationPublisher} on an {@link AckedProducer}: a cancel is one record on its own (nothing to commit
 * with it), so it needs no transaction.
 */
public final class KafkaCancellationPublisher implements CancellationPublisher, AutoCloseable {
    private final AckedProducer<String, JobCancellation> producer;
    private final Clock clock;

    public KafkaCancellationPublisher(
            KafkaClientSettings kafka, Topic<String, JobCancellation> topic, String clientId, Clock clock) {
        this.clock = clock;
        this.producer = new AckedProducer<>(
                kafka, topic, clientId, "the cancel could not be written right now; try again shortly");
    }

    @Override
    public void cancel(String jobId, String batchId) {
        cancelAll(batchId, List.of(jobId));
    }

    /** Sends every record at once, then awaits their acknowledgements together (a batch's 500 in one round). */
    @Override
    public void cancelAll(String batchId, List<String> jobIds) {
        JobCancellation cancellation = JobCancellation.newBuilder()
                .setRequestedAt(clock.instant())
                .setBatchId(batchId)
                .build();
        producer.sendAll(jobIds, cancellation, "cancel of " + (batchId != null ? "batch " + batchId : jobIds));
    }

    @Override
    public void close() {
        producer.close();
    }
}
