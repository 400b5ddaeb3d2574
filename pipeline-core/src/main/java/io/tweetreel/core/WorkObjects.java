package io.tweetreel.core;

import io.tweetreel.schemas.ObjectLayout;

/** A job's objects in the work bucket (everything under {@link ObjectLayout#jobPrefix}), as a canceled job leaves them. */
@FunctionalInterface
public interface WorkObjects {
    /** Deletes every work object of the job; nothing there is fine. */
    void delete(String jobId);

    WorkObjects NONE = jobId -> {};

    static WorkObjects in(ObjectStore store, String workBucket) {
        return jobId -> store.deletePrefix(workBucket, ObjectLayout.jobPrefix(jobId));
    }
}
