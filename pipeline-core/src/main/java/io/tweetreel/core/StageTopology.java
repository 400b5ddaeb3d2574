package io.tweetreel.core;

import dev.failsafe.Call;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import io.tweetreel.schemas.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stream shape shared by every stage: read the input topic, announce the step, do the work (retrying
 * transient failures), then write the output and the outcome status in the same transaction. Records that
 * cannot be read, or whose key is not a job id, go to the dead-letter topic through the exception handlers
 * set up by {@link StreamsSettings}.
 *
 * <p>Canceled jobs ({@link JobCancellations}): a job canceled before its record arrives is skipped (no status, no
 * output); one canceled while it runs is stopped (its work's cancel actions run, retries end) and its output, if
 * any, dropped. Either way the stage deletes the job's work objects and writes no status: the gateway writes the
 * job's {@code canceled} state.
 */
public final class StageTopology {
    public static final String SOURCE = "source";
    public static final String PROCESSOR = "work";
    public static final String OUTPUT_SINK = "output";
    public static final String STATUS_SINK = "status";

    /** Minimum time between two progress updates of one job (at most 4 a second). */
    static final long PROGRESS_INTERVAL_MS = 250;

    private StageTopology() {}

    public static <I, O> Topology build(StageDefinition<I, O> stage, StageWork<I, O> work, StageRuntime runtime) {
        Topology topology = new Topology();
        topology.addSource(
                stage.name() + "-" + SOURCE,
                stage.input().keySerde().deserializer(),
                stage.input().valueSerde().deserializer(),
                stage.input().name());
        topology.addProcessor(
                stage.name() + "-" + PROCESSOR,
                () -> new StageProcessor<>(stage, work, runtime),
                stage.name() + "-" + SOURCE);
        topology.addSink(
                stage.name() + "-" + OUTPUT_SINK,
                stage.output().name(),
                stage.output().keySerde().serializer(),
                stage.output().valueSerde().serializer(),
                stage.name() + "-" + PROCESSOR);
        topology.addSink(
                stage.name() + "-" + STATUS_SINK,
                stage.status().name(),
                stage.status().keySerde().serializer(),
                stage.status().valueSerde().serializer(),
                stage.name() + "-" + PROCESSOR);
        runtime.cancellations().addTo(topology, stage.name(), stage.cancellations());
        return topology;
    }

    /** Thrown for a record whose key is not a job id; the processing exception handler dead-letters it. */
    public static final class InvalidJobKeyException extends RuntimeException {
        InvalidJobKeyException(String key) {
            super("record key must be a job id (UUID), got " + (key == null ? "null" : "'" + key + "'"));
        }
    }

    static boolean isJobId(String key) {
        if (key == null || key.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final class StageProcessor<I, O> implements Processor<String, I, String, Object> {
        private static final Logger log = LoggerFactory.getLogger(StageTopology.class);

        private final StageDefinition<I, O> stage;
        private final StageWork<I, O> work;
        private final StageRuntime runtime;
        private final Clock clock;
        private ProcessorContext<String, Object> context;
        private ReadOnlyKeyValueStore<String, byte[]> canceled;

        StageProcessor(StageDefinition<I, O> stage, StageWork<I, O> work, StageRuntime runtime) {
            this.stage = stage;
            this.work = work;
            this.runtime = runtime;
            this.clock = runtime.clock();
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.canceled = context.getStateStore(JobCancellations.STORE);
        }

        @Override
        public void process(Record<String, I> record) {
            String jobId = record.key();
            if (!isJobId(jobId)) {
                throw new InvalidJobKeyException(jobId);
            }
            if (record.value() == null) {
                log.debug("ignoring tombstone for job {}", jobId);
                return;
            }
            MDC.put("jobId", jobId);
            MDC.put("step", stage.step().name());
            try {
                run(jobId, record);
            } finally {
                MDC.remove("jobId");
                MDC.remove("step");
            }
        }

        private void run(String jobId, Record<String, I> record) {
            CancelSignal cancel = runtime.cancellations().watch(jobId);
            try {
                if (cancel.isCanceled() || JobCancellations.isCanceled(canceled, jobId)) {
                    log.info("{} skipped: the job was canceled", stage.step());
                    runtime.tracker().canceled(jobId);
                    deleteWorkObjects(jobId);
                    return;
                }
                runJob(jobId, record, cancel);
            } finally {
                runtime.cancellations().forget(jobId, cancel);
            }
        }

        private void runJob(String jobId, Record<String, I> record, CancelSignal cancel) {
            JobTracker tracker = runtime.tracker();
            runtime.statusEmitter().emit(jobId, JobStatuses.started(stage.step(), now()));
            tracker.started(jobId);
            log.info("{} started", stage.step());
            StageJob<I> job = new StageJob<>(jobId, record.value(), throttled(jobId), cancel);
            long startNanos = System.nanoTime();
            AtomicBoolean attempting = new AtomicBoolean();
            Call<O> call = Failsafe.with(runtime.retry()
                            .<O>policyBuilder()
                            .abortOn(JobCanceledException.class)
                            .abortIf((result, failure) -> cancel.isCanceled())
                            .onRetry(e -> log.warn(
                                    "{} attempt {} failed, retrying: {}",
                                    stage.step(),
                                    e.getAttemptCount(),
                                    describe(e.getLastException())))
                            .build())
                    .newCall(execution -> {
                        attempting.set(true);
                        try {
                            job.throwIfCanceled();
                            return work.process(job);
                        } finally {
                            attempting.set(false);
                        }
                    });
            // A job waiting out a retry delay is woken at once (Failsafe interrupts only its own sleep and clears
            // the flag afterwards); a running attempt is left to the work's own cancel actions, because an
            // interrupt inside a browser or store client can break it for the next job.
            try (CancelSignal.Registration stopRetries = cancel.onCancel(() -> call.cancel(!attempting.get()))) {
                O output;
                try {
                    output = call.execute();
                } catch (FailsafeException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (!cancel.isCanceled()) {
                        fail(jobId, record, cause);
                        return;
                    }
                    output = null;
                } catch (RuntimeException e) {
                    if (!cancel.isCanceled()) {
                        fail(jobId, record, e);
                        return;
                    }
                    output = null;
                }
                // the last look before the output is written: a cancel from here on is the gateway's to settle
                if (cancel.isCanceled()) {
                    dropCanceled(jobId, output);
                    return;
                }
                context.forward(
                        record.withValue((Object) output).withTimestamp(clock.millis()),
                        stage.name() + "-" + OUTPUT_SINK);
                JobStatus success = stage.successStatus() == null
                        ? null
                        : stage.successStatus().apply(output);
                // null: nothing to say (a null value would be a tombstone that erases the job from the status topic)
                if (success != null) {
                    forwardStatus(record, success);
                }
                tracker.succeeded(jobId);
                log.info("{} done in {} ms", stage.step(), (System.nanoTime() - startNanos) / 1_000_000);
            }
        }

        private void dropCanceled(String jobId, O output) {
            log.info("{} stopped: the job was canceled", stage.step());
            if (output != null) {
                try {
                    work.discard(jobId, output);
                } catch (RuntimeException e) {
                    log.warn("{} could not undo the output of the canceled job: {}", stage.step(), describe(e));
                }
            }
            deleteWorkObjects(jobId);
            runtime.tracker().canceled(jobId);
        }

        private void deleteWorkObjects(String jobId) {
            try {
                runtime.workObjects().delete(jobId);
            } catch (RuntimeException e) {
                // the job stays canceled either way; only its leftovers stay behind
                log.warn("could not delete the work objects of the canceled job: {}", describe(e));
            }
        }

        private void fail(String jobId, Record<String, I> record, Throwable cause) {
            String code = cause instanceof JobFailure f ? f.code() : stage.failureCode();
            String message = cause instanceof JobFailure ? cause.getMessage() : describe(cause);
            log.error("{} failed [{}]: {}", stage.step(), code, message);
            forwardStatus(record, JobStatuses.failed(stage.step(), code, message, now()));
            runtime.tracker().failed(jobId, code);
        }

        private void forwardStatus(Record<String, I> record, JobStatus status) {
            context.forward(
                    record.withValue((Object) status).withTimestamp(clock.millis()), stage.name() + "-" + STATUS_SINK);
        }

        private ProgressReporter throttled(String jobId) {
            AtomicLong last = new AtomicLong(0);
            AtomicLong lastProgress = new AtomicLong(-1);
            return progress -> {
                long nowMs = clock.millis();
                long previous = last.get();
                if (progress > lastProgress.get()
                        && nowMs - previous >= PROGRESS_INTERVAL_MS
                        && last.compareAndSet(previous, nowMs)) {
                    lastProgress.set(progress);
                    runtime.statusEmitter()
                            .emit(jobId, JobStatuses.processing(stage.step(), Math.min(progress, 99), now()));
                }
            };
        }

        private Instant now() {
            return Instant.ofEpochMilli(clock.millis());
        }
    }

    /** Message of a transient failure as a user reads it: the exception's message, else its type. */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
