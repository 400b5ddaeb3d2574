package io.tweetreel.core;

import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.Topic;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancels one stage instance knows of, and the jobs it is running that a cancel must stop.
 *
 * <p>Every instance reads the whole cancellations topic into a global store ({@link #addTo}), not as a member of
 * its group, so whichever instance holds a job sees that job's cancel. The store's processor runs on the global
 * thread as each cancel arrives and signals a running job at once; the stream threads ask the store when a record
 * arrives ({@link #isCanceled}), which also covers cancels restored at start-up, when no processor runs.
 */
public final class JobCancellations {
    /** The global store of cancels, keyed by jobId. */
    public static final String STORE = "job-cancellations";

    private static final Logger log = LoggerFactory.getLogger(JobCancellations.class);

    private final Map<String, Set<CancelSignal>> running = new ConcurrentHashMap<>();

    /** Adds the global store over {@code topic}, and its processor, to a stage's topology. */
    public void addTo(Topology topology, String namePrefix, Topic<String, JobCancellation> topic) {
        // The store keeps the raw value and the processor decodes it: a record the global thread cannot decode would
        // otherwise stop that thread, and with it the whole stage, since no exception handler covers it there.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), topic.keySerde(), Serdes.ByteArray())
                        // a global store is restored from its own topic: a changelog would only copy it
                        .withLoggingDisabled(),
                namePrefix + "-cancellations-source",
                topic.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(),
                topic.name(),
                namePrefix + "-cancellations",
                () -> new CancellationProcessor(this, topic));
    }

    /**
     * Starts watching a job this instance is about to run. Call it before {@link #isCanceled}: a cancel that lands
     * between the two is then either in the store or delivered to the signal, never lost.
     */
    CancelSignal watch(String jobId) {
        CancelSignal signal = new CancelSignal();
        running.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(signal);
        return signal;
    }

    /** The job is no longer running here. */
    void forget(String jobId, CancelSignal signal) {
        running.computeIfPresent(jobId, (id, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    /** True when the store holds a cancel of the job. */
    static boolean isCanceled(ReadOnlyKeyValueStore<String, byte[]> store, String jobId) {
        return store.get(jobId) != null;
    }

    /** Stops the job wherever it runs in this instance; called on the global thread for each cancel read. */
    public void cancel(String jobId) {
        Set<CancelSignal> signals = running.get(jobId);
        if (signals != null) {
            log.info("job {} canceled while running here: stopping it", jobId);
            signals.forEach(CancelSignal::cancel);
        }
    }

    /** Keeps the store up to date and stops running jobs; the global thread calls it for every cancel read. */
    private static final class CancellationProcessor implements Processor<String, byte[], Void, Void> {
        private final JobCancellations cancellations;
        private final Topic<String, JobCancellation> topic;
        private KeyValueStore<String, byte[]> store;

        CancellationProcessor(JobCancellations cancellations, Topic<String, JobCancellation> topic) {
            this.cancellations = cancellations;
            this.topic = topic;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            try {
                topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            } catch (RuntimeException e) {
                log.warn("skipping an unreadable record on {} (key {}): {}", topic.name(), record.key(), e.toString());
                return;
            }
            // into the store first, then signal: a job starting now finds one or the other (see watch)
            store.put(record.key(), record.value());
            cancellations.cancel(record.key());
        }
    }
}
