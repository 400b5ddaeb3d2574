package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import java.util.function.Consumer;

/** Live status updates of single jobs, as they are written (not yet merged). */
public interface StatusFeed {
    /** Calls {@code listener} with every update of {@code jobId} until the returned handle is closed. */
    Subscription subscribe(String jobId, Consumer<JobStatus> listener);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
