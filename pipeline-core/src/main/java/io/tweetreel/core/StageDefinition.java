package io.tweetreel.core;

import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.Topic;
import java.util.function.Function;

/**
 * The shape of one pipeline stage: what it reads and writes, which step it announces, and how its failures
 * are reported.
 *
 * @param name          short name, used for the processor, metrics and logs ("renderer")
 * @param cancellations the cancel requests every instance of the stage reads whole
 * @param step          the step announced when a job starts, and blamed when it fails
 * @param failureCode   error code of a job that fails for a transient reason that outlasted the retries
 * @param successStatus status written with the output when the stage succeeds (null, or a function that returns
 *                      null for an output: none, the next stage announces itself)
 */
public record StageDefinition<I, O>(
        String name,
        Topic<String, I> input,
        Topic<String, O> output,
        Topic<String, JobStatus> status,
        Topic<String, JobCancellation> cancellations,
        JobStep step,
        String failureCode,
        Function<O, JobStatus> successStatus) {}
