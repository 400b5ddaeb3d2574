package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendAtCommitProducerTest {
    private MockProducer<byte[], byte[]> broker;
    private SendAtCommitProducer producer;

    @BeforeEach
    void start() {
        // auto-complete: a record the mock is given counts as sent at once, as a broker's ack would make it
        broker = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        producer = new SendAtCommitProducer(broker);
        producer.initTransactions();
        producer.beginTransaction();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }

    @Test
    void aJobsRecordsReachTheBrokerOnlyWhenTheTransactionCommitsInTheOrderTheyWereWritten() throws Exception {
        List<String> acked = new ArrayList<>();
        Future<RecordMetadata> output =
                producer.send(record("videos.screenshot", "job-1"), (m, e) -> acked.add("output " + m.topic()));
        producer.send(record("videos.status", "job-1"), (m, e) -> acked.add("status " + m.topic()));

        assertThat(broker.history())
                .as("nothing sent while the job's thread works on")
                .isEmpty();
        assertThat(output).isNotDone();

        producer.sendOffsetsToTransaction(Map.of(), new ConsumerGroupMetadata("tweetreel-renderer"));
        producer.commitTransaction();

        assertThat(broker.history())
                .extracting(r -> r.topic() + " " + new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("videos.screenshot job-1", "videos.status job-1");
        assertThat(broker.transactionCommitted()).isTrue();
        assertThat(acked).containsExactly("output videos.screenshot", "status videos.status");
        assertThat(output.get().topic()).isEqualTo("videos.screenshot");
    }

    @Test
    void flushSendsWhatIsHeldSoStreamsSeesSendErrorsBeforeItCommits() {
        producer.send(record("videos.composed", "job-2"));
        assertThat(broker.uncommittedRecords()).isEmpty();
        producer.flush();
        assertThat(broker.uncommittedRecords())
                .as("sent, in the open transaction")
                .hasSize(1);
        assertThat(broker.transactionCommitted()).isFalse();
    }

    @Test
    void anAbortedTransactionSendsNothingOfIt() {
        producer.send(record("videos.stored", "job-3"));
        producer.abortTransaction();
        assertThat(broker.transactionAborted()).isTrue();
        producer.beginTransaction();
        producer.commitTransaction();
        assertThat(broker.history())
                .as("the next transaction does not carry it either")
                .isEmpty();
    }
}
