package io.tweetreel.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes value serdes for the Avro records of the topic contract. */
@FunctionalInterface
public interface SerdeFactory {
    <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);
}
