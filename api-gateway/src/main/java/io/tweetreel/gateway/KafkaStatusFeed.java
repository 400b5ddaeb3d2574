package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.core.WholeTopicReader;
import io.tweetreel.core.WholeTopicReader.From;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@link StatusFeed} on a {@link WholeTopicReader} of {@code videos.status} from its end (no consumer group: every
 * gateway instance sees every update, so an event stream never needs forwarding). Committed updates only; the last
 * minute of them is kept for late subscribers ({@link StatusFanOut}); a value is decoded only for a listener.
 */
public final class KafkaStatusFeed implements StatusFeed, AutoCloseable {
    /** Covers the table lagging the feed, which is seconds at worst; bounded in count too. */
    private static final Duration KEEP_FOR = Duration.ofMinutes(1);

    private static final int KEEP_AT_MOST = 50_000;

    private final StatusFanOut fanOut;
    private final WholeTopicReader reader;

    public KafkaStatusFeed(KafkaClientSettings kafka, Topic<String, JobStatus> topic, String clientId) {
        Deserializer<JobStatus> values = topic.valueSerde().deserializer();
        this.fanOut = new StatusFanOut(
                record -> values.deserialize(record.topic(), record.headers(), record.value()),
                KEEP_FOR,
                KEEP_AT_MOST,
                Clock.systemUTC());
        this.reader = new WholeTopicReader(
                kafka, topic.name(), clientId + "-status-feed", From.END, Duration.ofMillis(500), fanOut::dispatch);
    }

    public KafkaStatusFeed start() {
        reader.start();
        return this;
    }

    /** True once it reads every partition. */
    public boolean isReady() {
        return reader.isReading();
    }

    @Override
    public Subscription subscribe(String jobId, Consumer<JobStatus> listener) {
        return fanOut.subscribe(jobId, listener);
    }

    @Override
    public void close() {
        reader.close();
    }
}
