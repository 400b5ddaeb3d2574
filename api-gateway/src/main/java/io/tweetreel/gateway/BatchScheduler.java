package io.tweetreel.gateway;

import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.VideoRequested;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fairness between batches and single jobs. Single jobs go straight to {@code videos.requested}; batch items wait
 * on {@code videos.batch-queue} and this processor releases them to {@code videos.requested} (same key, same
 * value) so that at most {@code inFlight} of them are between their release and their final status at once. A
 * single job therefore waits behind at most that many batch jobs in the stages, never behind a whole backfill.
 *
 * <p>It reads the batch lane, whose one partition makes one task own the one global window. State, all
 * changelogged and written in the gateway's exactly-once transactions, so a restart resumes the same window:
 * <ul>
 *   <li>{@value #QUEUE_STORE}: the waiting items in arrival order (key: zero-padded sequence number), FIFO across
 *       batches;</li>
 *   <li>{@value #WAITING_STORE}: jobId → its sequence key, to drop an item that became final while it waited
 *       (canceled) instead of releasing it;</li>
 *   <li>{@value #IN_FLIGHT_STORE}: jobId → release time of the items released and not final yet.</li>
 * </ul>
 */
final class BatchScheduler implements Processor<String, BatchLaneEvent, String, VideoRequested> {
    static final String QUEUE_STORE = "batch-queue-order";
    static final String WAITING_STORE = "batch-queue-waiting";
    static final String IN_FLIGHT_STORE = "batch-in-flight";

    private static final Logger log = LoggerFactory.getLogger(BatchScheduler.class);

    private final Topic<String, VideoRequested> queueTopic;
    private final int inFlightLimit;
    private ProcessorContext<String, VideoRequested> context;
    private KeyValueStore<String, BatchLaneEvent> queue;
    private KeyValueStore<String, String> waiting;
    private KeyValueStore<String, Long> inFlight;
    /** Entries of {@link #inFlight}, counted from the store when the task starts. */
    private int inFlightCount;

    BatchScheduler(Topic<String, VideoRequested> queueTopic, int inFlightLimit) {
        this.queueTopic = queueTopic;
        this.inFlightLimit = inFlightLimit;
    }

    @Override
    public void init(ProcessorContext<String, VideoRequested> context) {
        this.context = context;
        this.queue = context.getStateStore(QUEUE_STORE);
        this.waiting = context.getStateStore(WAITING_STORE);
        this.inFlight = context.getStateStore(IN_FLIGHT_STORE);
        inFlightCount = 0;
        try (KeyValueIterator<String, Long> all = inFlight.all()) {
            while (all.hasNext()) {
                all.next();
                inFlightCount++;
            }
        }
    }

    @Override
    public void process(Record<String, BatchLaneEvent> record) {
        BatchLaneEvent event = record.value();
        if (event == null) {
            return;
        }
        switch (event.kind()) {
            case QUEUED -> enqueue(event);
            case FINISHED -> finish(event);
            case ACCEPTED -> {
                return; // the batch itself does not take part in the window
            }
        }
        releaseWhileRoom(record.timestamp());
    }

    private void enqueue(BatchLaneEvent item) {
        if (waiting.get(item.jobId()) != null || inFlight.get(item.jobId()) != null) {
            return; // already known: a repeat changes nothing
        }
        String position = nextPosition();
        queue.put(position, item);
        waiting.put(item.jobId(), position);
    }

    private void finish(BatchLaneEvent item) {
        String position = waiting.get(item.jobId());
        if (position != null) {
            queue.delete(position);
            waiting.delete(item.jobId());
            log.info(
                    "batch {} item {} is {} before its turn: dropped from the queue",
                    item.batchId(),
                    item.jobId(),
                    item.outcome());
        } else if (inFlight.get(item.jobId()) != null) {
            inFlight.delete(item.jobId());
            inFlightCount--;
        }
    }

    private void releaseWhileRoom(long timestamp) {
        while (inFlightCount < inFlightLimit) {
            KeyValue<String, BatchLaneEvent> head;
            try (KeyValueIterator<String, BatchLaneEvent> all = queue.all()) {
                if (!all.hasNext()) {
                    return;
                }
                head = all.next();
            }
            BatchLaneEvent item = head.value;
            queue.delete(head.key);
            waiting.delete(item.jobId());
            inFlight.put(item.jobId(), timestamp);
            inFlightCount++;
            VideoRequested request =
                    queueTopic.valueSerde().deserializer().deserialize(queueTopic.name(), item.request());
            context.forward(new Record<>(item.jobId(), request, timestamp));
        }
    }

    /** After the last waiting item; the numbering starts again when the queue is empty, which keeps the order. */
    private String nextPosition() {
        long next = 0;
        try (KeyValueIterator<String, BatchLaneEvent> last = queue.reverseAll()) {
            if (last.hasNext()) {
                next = Long.parseLong(last.next().key) + 1;
            }
        }
        return String.format("%019d", next);
    }
}
