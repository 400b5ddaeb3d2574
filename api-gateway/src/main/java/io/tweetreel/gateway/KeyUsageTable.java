package io.tweetreel.gateway;

import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many jobs each API key created on its latest UTC day, a sub-topology of the gateway's
 * {@link JobStatusTopology}: {@value #STORE}, keyed by key id, value {@code "2026-12-02 17"}.
 * <p>
 * Why it is counted from {@code videos.status}: the gateway writes each job's {@code pending} status, with the key
 * id, in the same transaction as the job (a batch item's too), and nobody else writes a {@code pending} with a key
 * id; so the pending statuses are exactly the jobs a key created, and the count comes for free with the job,
 * without a topic of its own. The store is changelogged, so the count survives a restart of every gateway; and its
 * partitions decide which instance keeps a key's bucket ({@link SharedKeyLimits}): that instance reads its own
 * partition, and adds what it admitted and the table has not read yet (a fraction of a second).
 */
public final class KeyUsageTable {
    public static final String STORE = "key-jobs-per-day";

    private KeyUsageTable() {}

    /** @param statuses the records of {@code videos.status} (a topic is read once per topology: shared) */
    static void addTo(KStream<String, JobStatus> statuses) {
        statuses.filter(
                        (jobId, status) ->
                                status != null && status.getStatus() == JobState.pending && status.getKeyId() != null,
                        Named.as("owned-pending"))
                .map(
                        (jobId, status) -> KeyValue.pair(
                                status.getKeyId(),
                                LocalDate.ofInstant(status.getUpdatedAt(), ZoneOffset.UTC)
                                        .toString()),
                        Named.as("pending-by-key"))
                .groupByKey(Grouped.with("jobs-by-key", Serdes.String(), Serdes.String()))
                .aggregate(
                        () -> null,
                        (keyId, day, counted) -> plusOne(counted, LocalDate.parse(day)),
                        Named.as("jobs-per-day"),
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()));
    }

    /** The count after one more job on {@code day}: a later day starts again at 1; an earlier one changes nothing. */
    static String plusOne(String counted, LocalDate day) {
        if (counted == null) {
            return format(day, 1);
        }
        LocalDate countedDay = dayOf(counted);
        if (day.isAfter(countedDay)) {
            return format(day, 1);
        }
        if (day.isBefore(countedDay)) {
            return counted; // a late pending of yesterday: that day is over
        }
        return format(day, jobsOf(counted) + 1);
    }

    /** Jobs the stored value counts on {@code day}; 0 for another day or no value. */
    static long jobsOn(String counted, LocalDate day) {
        return counted != null && dayOf(counted).equals(day) ? jobsOf(counted) : 0;
    }

    private static String format(LocalDate day, long jobs) {
        return day + " " + jobs;
    }

    private static LocalDate dayOf(String counted) {
        return LocalDate.parse(counted.substring(0, counted.indexOf(' ')));
    }

    private static long jobsOf(String counted) {
        return Long.parseLong(counted.substring(counted.indexOf(' ') + 1));
    }
}
