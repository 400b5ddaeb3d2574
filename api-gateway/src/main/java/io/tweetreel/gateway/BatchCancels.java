package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/batches/{batchId}/cancel}: writes a {@code JobCancellation} (with the batch id) for every item
 * that is not final; the gateway's status table turns each into the item's {@code canceled} status, and the stages
 * stop or skip the job. Then it waits, up to {@link #SETTLE}, for those items to show a final status on the
 * status feed, and answers 202 with the batch JSON. Repeating it is harmless: final items are left alone.
 */
public final class BatchCancels {
    private static final Logger log = LoggerFactory.getLogger(BatchCancels.class);
    /** How long the answer waits for the canceled items to become final; after that it shows them as they are. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private final BatchLookup lookup;
    private final CancellationPublisher writer;
    private final StatusFeed feed;

    public BatchCancels(BatchLookup lookup, CancellationPublisher writer, StatusFeed feed) {
        this.lookup = lookup;
        this.writer = writer;
        this.feed = feed;
    }

    public void handle(Context ctx) throws InterruptedException {
        String batchId = BatchLookup.batchId(ctx);
        BatchSummary batch = lookup.batch(batchId, Caller.of(ctx))
                .orElseThrow(() -> BatchLookup.notFound(batchId).toException());
        List<JobStatus> before = lookup.statuses(batch);
        List<String> toCancel = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!JobStatuses.isFinal(before.get(i))) {
                toCancel.add(batch.jobIds().get(i));
            }
        }
        Map<String, JobStatus> finalSeen = new ConcurrentHashMap<>();
        if (!toCancel.isEmpty()) {
            // subscribed before writing, so no final status can come between the write and the wait
            CountDownLatch settled = new CountDownLatch(toCancel.size());
            List<StatusFeed.Subscription> subscriptions = new ArrayList<>(toCancel.size());
            try {
                for (String jobId : toCancel) {
                    subscriptions.add(feed.subscribe(jobId, status -> {
                        if (JobStatuses.isFinal(status) && finalSeen.putIfAbsent(jobId, status) == null) {
                            settled.countDown();
                        }
                    }));
                }
                writer.cancelAll(batchId, toCancel);
                log.info("batch {}: cancel asked for {} of {} items", batchId, toCancel.size(), before.size());
                settled.await(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                subscriptions.forEach(StatusFeed.Subscription::close);
            }
        }
        // the feed can be ahead of the table: a final status seen there counts, merged as the table will merge it
        List<JobStatus> now = lookup.statuses(batch);
        List<JobStatus> shown = new ArrayList<>(now.size());
        for (int i = 0; i < now.size(); i++) {
            JobStatus seen = finalSeen.get(batch.jobIds().get(i));
            shown.add(seen == null ? now.get(i) : JobStatuses.merge(now.get(i), seen));
        }
        ctx.status(202).header("Cache-Control", "no-store").json(BatchView.of(batchId, batch, shown));
    }
}
