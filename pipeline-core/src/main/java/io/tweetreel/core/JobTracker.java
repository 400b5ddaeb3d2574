package io.tweetreel.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stage is doing now (for {@code /status}) and what it has done (metrics: jobs started, succeeded and
 * failed, step durations as histograms).
 */
public final class JobTracker {
    private final String stage;
    private final MeterRegistry registry;
    private final Map<String, Instant> current = new ConcurrentHashMap<>();
    private final Counter started;
    private final Counter succeeded;
    private final Timer successTimer;
    private final Timer failureTimer;

    public JobTracker(String stage, MeterRegistry registry) {
        this.stage = stage;
        this.registry = registry;
        this.started = Counter.builder("tweetreel.jobs.started")
                .tag("stage", stage)
                .description("Jobs this stage started")
                .register(registry);
        this.succeeded = Counter.builder("tweetreel.jobs.succeeded")
                .tag("stage", stage)
                .description("Jobs this stage finished successfully")
                .register(registry);
        this.successTimer = stepTimer("success");
        this.failureTimer = stepTimer("failure");
        registry.gauge(
                "tweetreel.jobs.in.progress",
                java.util.List.of(io.micrometer.core.instrument.Tag.of("stage", stage)),
                current,
                Map::size);
    }

    private Timer stepTimer(String outcome) {
        return Timer.builder("tweetreel.step.duration")
                .tag("stage", stage)
                .tag("outcome", outcome)
                .description("Time a stage spends on one job")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void started(String jobId) {
        current.put(jobId, Instant.now());
        started.increment();
    }

    public void succeeded(String jobId) {
        Instant since = current.remove(jobId);
        succeeded.increment();
        if (since != null) {
            successTimer.record(java.time.Duration.between(since, Instant.now()));
        }
    }

    public void failed(String jobId, String code) {
        Instant since = current.remove(jobId);
        Counter.builder("tweetreel.jobs.failed")
                .tag("stage", stage)
                .tag("code", code)
                .description("Jobs this stage failed")
                .register(registry)
                .increment();
        if (since != null) {
            failureTimer.record(java.time.Duration.between(since, Instant.now()));
        }
    }

    /** The job was canceled while this stage ran it: neither a success nor a failure. */
    public void canceled(String jobId) {
        current.remove(jobId);
        Counter.builder("tweetreel.jobs.canceled")
                .tag("stage", stage)
                .description("Jobs this stage stopped or skipped because they were canceled")
                .register(registry)
                .increment();
    }

    public int currentJobCount() {
        return current.size();
    }

    /** Job id → when this stage started it; a copy, in job id order so repeated {@code /status} reads line up. */
    public Map<String, Instant> processingJobs() {
        return new TreeMap<>(current);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
