package io.tweetreel.schemas;

import org.apache.kafka.common.serialization.Serde;

/** A Kafka topic with the serdes of its key and value: the one way code names a topic. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    @Override
    public String toString() {
        return name;
    }
}
