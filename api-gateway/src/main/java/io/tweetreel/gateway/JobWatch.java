package io.tweetreel.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.gateway.WatchedJob.LastEvent;
import io.tweetreel.gateway.WatchedJob.Redrive;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * No job stays unfinished forever. Each job that is not final is watched: the processor sees its statuses and its
 * pipeline events (request, screenshot, composed video) and keeps the furthest event with where it was read.
 * Every {@link #scanInterval} a wall-clock scan looks at the watched jobs whose status has not changed for
 * {@code timeout}:
 * <ol>
 *   <li>a batch item still in {@code videos.batch-queue} (no event on {@code videos.requested} yet) waits for the
 *       {@link BatchScheduler}, not for a stage: left alone; once released it is watched like any job;</li>
 *   <li>a job whose last event still waits for the stage that reads it is queued, not stalled: left alone, however
 *       long the queue;</li>
 *   <li>a job whose topics hold an open transaction on its partition is not judged until that has ended: its next
 *       move (an output, a status) may be in it, unreadable to the gateway too;</li>
 *   <li>a job is judged by the stages' committed offsets read at the scan before, and only once the status table
 *       has read every status that was readable then, so a table that lags behind the stages (after a failover)
 *       does not make a moving job look stalled;</li>
 *   <li>a stalled job is re-driven once per step: its last event is published again under the same jobId (the
 *       stages process a job idempotently), inside the gateway's transaction;</li>
 *   <li>a job still stalled at that step {@code timeout} after its re-drive is failed with {@value #TIMED_OUT}.</li>
 * </ol>
 * Its state is dropped when the job is final. Runs in the status table's sub-topology, so it owns exactly the
 * jobs whose status it can read.
 */
final class JobWatch implements Processor<String, Object, String, Object> {
    static final String STORE = "job-watch";
    static final String TIMED_OUT = "JOB_TIMED_OUT";
    static final String STATUS_SINK = "watch-status";
    /** The topics a job's events travel on, in pipeline order. */
    static final List<String> PIPELINE =
            List.of(Topics.VIDEOS_REQUESTED, Topics.VIDEOS_SCREENSHOT, Topics.VIDEOS_COMPOSED);

    private static final Logger log = LoggerFactory.getLogger(JobWatch.class);

    private final Map<String, Topic<String, ?>> pipelineTopics;
    private final Duration timeout;
    private final QueuePositions queues;
    private final MeterRegistry meters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, WatchedJob> watched;
    private TimestampedKeyValueStore<String, JobStatus> statuses;
    /**
     * The last reading of where the stages stand. A job is judged by the reading before the current one, once the
     * status table has read everything that was readable then: judged by the current one, a stage's fresh commit
     * can be seen before the status it wrote with it, and a job that moved would be re-driven.
     */
    private QueuePositions.Positions lastRead;

    JobWatch(Topics topics, Duration timeout, QueuePositions queues, MeterRegistry meters) {
        this.pipelineTopics = Map.of(
                Topics.VIDEOS_REQUESTED,
                topics.requested(),
                Topics.VIDEOS_SCREENSHOT,
                topics.screenshot(),
                Topics.VIDEOS_COMPOSED,
                topics.composed());
        this.timeout = timeout;
        this.queues = queues;
        this.meters = meters;
    }

    static String redriveSink(String topic) {
        return "redrive-" + topic;
    }

    /** Often enough to act within a fifth of the timeout, at most every 30 s. */
    static Duration scanInterval(Duration timeout) {
        Duration fifth = timeout.dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(30)) < 0 ? fifth : Duration.ofSeconds(30);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.watched = context.getStateStore(STORE);
        this.statuses = context.getStateStore(JobStatusTopology.STATUS_STORE);
        context.schedule(scanInterval(timeout), PunctuationType.WALL_CLOCK_TIME, this::scan);
    }

    @Override
    public void process(Record<String, Object> record) {
        String jobId = record.key();
        if (JobIds.parse(jobId).isEmpty() || record.value() == null) {
            return; // not a job: the stages dead-letter such records, publishing them again would only repeat that
        }
        if (isFinal(jobId) || record.value() instanceof JobStatus update && JobStatuses.isFinal(update)) {
            watched.delete(jobId); // nothing left to watch
            return;
        }
        if (record.value() instanceof JobStatus) {
            watched.putIfAbsent(jobId, WatchedJob.NOTHING_YET); // watched from its first status on
            return;
        }
        WatchedJob known = Objects.requireNonNullElse(watched.get(jobId), WatchedJob.NOTHING_YET);
        RecordMetadata at = context.recordMetadata().orElseThrow(); // a record from a source topic has it
        if (at.topic().equals(Topics.VIDEOS_BATCH_QUEUE)) {
            watched.put(jobId, known.inBatchQueue());
            return;
        }
        LastEvent last = known.lastEvent();
        if (last != null && PIPELINE.indexOf(at.topic()) < PIPELINE.indexOf(last.topic())) {
            return; // an earlier step's event read late: the job is already further
        }
        LastEvent event = new LastEvent(at.topic(), at.partition(), at.offset(), encode(at.topic(), record.value()));
        watched.put(jobId, known.withLastEvent(event));
    }

    private void scan(long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs);
        Instant soon = now.plus(scanInterval(timeout));
        List<Stalled> stalled = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        boolean stallsSoon = false;
        try (KeyValueIterator<String, WatchedJob> all = watched.all()) {
            while (all.hasNext()) {
                KeyValue<String, WatchedJob> entry = all.next();
                JobStatus status = ValueAndTimestamp.getValueOrNull(statuses.get(entry.key));
                if (status == null) {
                    continue; // no status read yet: nothing to judge
                }
                if (JobStatuses.isFinal(status)) {
                    finished.add(entry.key);
                } else if (entry.value.waitsForRelease()) {
                    continue; // the batch scheduler holds it back on purpose
                } else if (!status.getUpdatedAt().plus(timeout).isAfter(now)) {
                    stalled.add(new Stalled(entry.key, status, entry.value));
                } else if (!status.getUpdatedAt().plus(timeout).isAfter(soon)) {
                    stallsSoon = true;
                }
            }
        }
        finished.forEach(watched::delete);
        if (stalled.isEmpty() && !stallsSoon) {
            return;
        }
        // One partition number per task: the task reads partition p of every source topic, and so sees the jobs
        // whose events and statuses live on partition p.
        int partition = context.taskId().partition();
        Set<TopicPartition> partitions = new HashSet<>();
        PIPELINE.forEach(topic -> partitions.add(new TopicPartition(topic, partition)));
        Optional<QueuePositions.Positions> read = queues.read(partitions);
        if (read.isEmpty()) {
            return; // Kafka cannot tell queued from lost right now: judge nobody
        }
        QueuePositions.Positions earlier = lastRead;
        lastRead = read.get();
        if (stalled.isEmpty()) {
            return; // read a scan ahead of the first stall, so that one is judged on time
        }
        if (earlier == null || !read.get().statusTableHasRead(earlier, partition)) {
            // A stage may have moved these jobs and the table not read it yet (a gateway taking over the
            // partition, a broker failing over): judged once the table has caught up with a reading.
            log.info(
                    "{} job(s) on partition {} look stalled, but the status table is behind; looked at next scan",
                    stalled.size(),
                    partition);
            return;
        }
        for (Stalled job : stalled) {
            LastEvent event = job.watch().lastEvent();
            if (event != null && earlier.isQueued(event.topic(), event.partition(), event.offset())) {
                continue; // waiting for its stage: a queue is not a stall
            }
            if (event != null && !read.get().isSettled(event.partition())) {
                continue; // its next move may sit in an open transaction: judged when that has ended
            }
            MDC.put("jobId", job.jobId());
            try {
                act(job, now);
            } finally {
                MDC.remove("jobId");
            }
        }
    }

    private void act(Stalled job, Instant now) {
        JobStep step = job.status().getCurrentStep();
        Redrive redrive = job.watch().redrive();
        if (redrive == null || redrive.step() != step) {
            redrive(job, step, now);
        } else if (!redrive.at().plus(timeout).isAfter(now)) {
            fail(job, step, redrive, now);
        }
    }

    private void redrive(Stalled job, JobStep step, Instant now) {
        LastEvent event = job.watch().lastEvent();
        if (event == null) {
            log.warn(
                    "job {} has not moved at {} since {} (JOB_TIMEOUT {}) and no event of it is known to publish"
                            + " again; it fails if it still does not move",
                    job.jobId(),
                    step,
                    job.status().getUpdatedAt(),
                    human(timeout));
        } else {
            context.forward(new Record<>(job.jobId(), decode(event), now.toEpochMilli()), redriveSink(event.topic()));
            log.warn(
                    "job {} has not moved at {} since {} (JOB_TIMEOUT {}): re-driven, published its {} read at {}"
                            + " again",
                    job.jobId(),
                    step,
                    job.status().getUpdatedAt(),
                    human(timeout),
                    event.topic(),
                    event.position());
            Counter.builder("tweetreel.jobs.redriven")
                    .description("Stalled jobs whose last event was published again")
                    .tag("step", step.name())
                    .register(meters)
                    .increment();
        }
        watched.put(job.jobId(), job.watch().withRedrive(new Redrive(step, now)));
    }

    private void fail(Stalled job, JobStep step, Redrive redrive, Instant now) {
        String message = "no progress for " + human(timeout) + " at " + step + ", also not after it was "
                + (job.watch().lastEvent() == null ? "found stalled" : "re-driven") + " at "
                + redrive.at().truncatedTo(ChronoUnit.SECONDS);
        context.forward(
                new Record<>(
                        job.jobId(), (Object) JobStatuses.failed(step, TIMED_OUT, message, now), now.toEpochMilli()),
                STATUS_SINK);
        watched.delete(job.jobId());
        log.error("job {} failed [{}]: {}", job.jobId(), TIMED_OUT, message);
        Counter.builder("tweetreel.jobs.timed.out")
                .description("Jobs failed because they stopped moving")
                .tag("step", step.name())
                .register(meters)
                .increment();
    }

    private boolean isFinal(String jobId) {
        JobStatus known = ValueAndTimestamp.getValueOrNull(statuses.get(jobId));
        return known != null && JobStatuses.isFinal(known);
    }

    private byte[] encode(String topic, Object value) {
        return serialize(pipelineTopics.get(topic), value);
    }

    private Object decode(LastEvent event) {
        return pipelineTopics.get(event.topic()).valueSerde().deserializer().deserialize(event.topic(), event.value());
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<String, V> topic, Object value) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }

    /** "5m", "90s": how an operator wrote JOB_TIMEOUT. */
    static String human(Duration d) {
        long seconds = d.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private record Stalled(String jobId, JobStatus status, WatchedJob watch) {}
}
