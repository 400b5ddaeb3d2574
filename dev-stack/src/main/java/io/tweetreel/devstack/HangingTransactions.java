package io.tweetreel.devstack;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.server.common.RequestLocal;
import org.apache.kafka.storage.internals.log.AppendOrigin;

/**
 * Plants a hanging transaction on purpose: a transactional record appended straight to a partition's log on the
 * in-process broker, past the transaction coordinator, which therefore never writes a marker for it. The
 * partition's last stable offset stays at that record until someone aborts it, exactly as after the
 * broker-restart fault (issue #12). No client can do this through the protocol, since the broker verifies
 * transactional writes with the coordinator; here the leader is handed the verification the coordinator never
 * gave.
 */
public final class HangingTransactions {
    private HangingTransactions() {}

    /**
     * Appends one transactional record of producer {@code producerId} (epoch 0) to {@code partition}, which must
     * be led by this broker, and returns its offset.
     */
    public static long plant(EmbeddedKafka kafka, TopicPartition partition, long producerId, String key, byte[] value) {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(
                Compression.NONE,
                producerId,
                (short) 0,
                0,
                new SimpleRecord(System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8), value));
        var leader = kafka.broker().replicaManager().getPartitionOrException(partition);
        // the guard the leader would get from the coordinator's answer; here nobody asked the coordinator
        var guard = leader.localLogOrException().maybeStartTransactionVerification(producerId, 0, (short) 0, false);
        var info = leader.appendRecordsToLeader(
                records, AppendOrigin.CLIENT, 1, RequestLocal.noCaching(), guard, (short) -1);
        return info.firstOffset();
    }
}
