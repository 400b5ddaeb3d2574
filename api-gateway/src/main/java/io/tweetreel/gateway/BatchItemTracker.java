package io.tweetreel.gateway;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.VideoRequested;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Turns what happens to batch items, keyed by jobId, into the batch lane's records: an item read from
 * {@code videos.batch-queue} becomes QUEUED, its first final status FINISHED. It runs in the status table's
 * sub-topology (all keyed and partitioned by jobId), so it reads the merged status of the job it sees and keeps
 * {@value #STORE} (jobId → batchId) of the items not final yet: a status of any other job is ignored, and a final
 * status is passed on once. Both records of an item leave from this one task in order, so the lane never has an
 * item's FINISHED before its QUEUED.
 */
final class BatchItemTracker implements Processor<String, Object, String, BatchLaneEvent> {
    static final String STORE = "batch-items";

    private final Topic<String, VideoRequested> queueTopic;
    private ProcessorContext<String, BatchLaneEvent> context;
    private KeyValueStore<String, String> openItems;
    private TimestampedKeyValueStore<String, JobStatus> statuses;

    BatchItemTracker(Topic<String, VideoRequested> queueTopic) {
        this.queueTopic = queueTopic;
    }

    @Override
    public void init(ProcessorContext<String, BatchLaneEvent> context) {
        this.context = context;
        this.openItems = context.getStateStore(STORE);
        this.statuses = context.getStateStore(JobStatusTopology.STATUS_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        String jobId = record.key();
        if (JobIds.parse(jobId).isEmpty()) {
            return;
        }
        if (record.value() instanceof VideoRequested item) {
            onQueued(record, jobId, item);
        } else if (record.value() instanceof JobStatus update) {
            onStatus(record, jobId, update);
        }
    }

    private void onQueued(Record<String, Object> record, String jobId, VideoRequested item) {
        String batchId = item.getBatchId();
        if (batchId == null || openItems.get(jobId) != null) {
            return; // not a batch item, or read again while it waits
        }
        JobStatus known = ValueAndTimestamp.getValueOrNull(statuses.get(jobId));
        if (known != null && JobStatuses.isFinal(known)) {
            // its final status was read first (canceled before the queue was read): count it, never release it
            forward(record, BatchLaneEvent.finished(jobId, batchId, known.getStatus()));
            return;
        }
        openItems.put(jobId, batchId);
        byte[] request = queueTopic.valueSerde().serializer().serialize(queueTopic.name(), item);
        forward(record, BatchLaneEvent.queued(jobId, batchId, request));
    }

    private void onStatus(Record<String, Object> record, String jobId, JobStatus update) {
        if (!JobStatuses.isFinal(update)) {
            return;
        }
        String batchId = openItems.get(jobId);
        if (batchId == null) {
            return; // a single job, or an item whose final status was passed on already
        }
        openItems.delete(jobId);
        // the table keeps the first final state; this update may be a later one it dropped
        JobStatus known = ValueAndTimestamp.getValueOrNull(statuses.get(jobId));
        JobStatus outcome = known != null && JobStatuses.isFinal(known) ? known : update;
        forward(record, BatchLaneEvent.finished(jobId, batchId, outcome.getStatus()));
    }

    private void forward(Record<String, Object> cause, BatchLaneEvent event) {
        context.forward(new Record<>(BatchLaneEvent.KEY, event, cause.timestamp()));
    }
}
