package io.tweetreel.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ObjectLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes videos with their posters and captions (any object of the videos bucket) whose
 * {@link ObjectLayout#EXPIRES_AT} has passed, every interval. The bucket's lifecycle rule (where the server
 * supports one) is a second line of defence; the gateway already answers 410 for expired files.
 *
 * <p>It also deletes work objects older than {@link #WORK_MAX_AGE}. Filing a job deletes its work objects, but a
 * stage instance that lost its partition mid-job (a broker restart, a rebalance) finishes the attempt it had in
 * hand and may upload after the job was filed; its transaction is fenced, so nothing points at those files again.
 */
public final class ExpiredReelSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExpiredReelSweeper.class);

    /** Far longer than any job waits between two stages, so only what no record points at is old enough. */
    static final Duration WORK_MAX_AGE = Duration.ofHours(24);

    private final ObjectStore store;
    private final String bucket;
    private final String workBucket;
    private final Clock clock;
    private final Counter deleted;
    private final Counter orphansDeleted;
    private ScheduledExecutorService scheduler;

    public ExpiredReelSweeper(ObjectStore store, String bucket, String workBucket, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.bucket = bucket;
        this.workBucket = workBucket;
        this.clock = clock;
        this.deleted = Counter.builder("tweetreel.videos.expired.deleted")
                .description("Expired videos deleted by the sweeper")
                .register(meters);
        this.orphansDeleted = Counter.builder("tweetreel.work.orphans.deleted")
                .description("Work objects older than a day (uploaded by an attempt that never committed) deleted")
                .register(meters);
    }

    /** Sets the bucket's expiry rule if the server supports it, then sweeps every {@code interval}. */
    public void start(Duration interval, Duration ttl) {
        int days = (int) Math.max(1, Math.ceil(ttl.toHours() / 24.0));
        try {
            store.ensureBucket(bucket);
            if (store.setExpiration(bucket, days)) {
                log.info("lifecycle rule set: objects in {} expire after {} day(s)", bucket, days);
            } else {
                log.warn("the object store does not support lifecycle rules; expiry relies on the sweeper alone");
            }
        } catch (RuntimeException e) {
            // the store being down at start-up must not stop filing, which retries on its own
            log.warn("could not set the lifecycle rule of {}: {}", bucket, e.getMessage());
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expired-reel-sweeper");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(
                this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes every work object last written before {@link #WORK_MAX_AGE} ago; returns how many. */
    public int sweepOrphanedWork() {
        Instant cutoff = Instant.ofEpochMilli(clock.millis()).minus(WORK_MAX_AGE);
        int count = 0;
        for (StoredObject listed : store.list(workBucket, "")) {
            if (listed.lastModified() != null && listed.lastModified().isBefore(cutoff)) {
                store.delete(workBucket, listed.key());
                count++;
            }
        }
        orphansDeleted.increment(count);
        if (count > 0) {
            log.info("sweeper deleted {} orphaned work object(s)", count);
        }
        return count;
    }

    /** Deletes every expired video, poster and caption file now; returns how many. */
    public int sweep() {
        Instant now = Instant.ofEpochMilli(clock.millis());
        int count = 0;
        for (StoredObject listed : store.list(bucket, "")) {
            var object = store.stat(bucket, listed.key());
            if (object.isEmpty()) {
                continue;
            }
            String expires = object.get().metadata().get(ObjectLayout.EXPIRES_AT);
            try {
                if (expires != null && Instant.parse(expires).isBefore(now)) {
                    store.delete(bucket, listed.key());
                    count++;
                }
            } catch (DateTimeParseException e) {
                log.warn("{} has an unreadable expires-at '{}', left alone", listed.key(), expires);
            }
        }
        deleted.increment(count);
        log.info("sweeper deleted {} expired file(s)", count);
        return count;
    }

    private void sweepQuietly() {
        try {
            sweep();
            sweepOrphanedWork();
        } catch (RuntimeException e) {
            log.warn("sweep failed, will try again: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
