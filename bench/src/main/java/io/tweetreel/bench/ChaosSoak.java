package io.tweetreel.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.Json;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.StoredObject;
import io.tweetreel.devstack.CommittedRecords;
import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.DevStackConfig;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./tweetreel bench --soak 10m --chaos 60s}: two instances of every stage and of the gateway, jobs submitted
 * at about 80 % of the capacity measured first (or given), and every chaos interval a random instance killed -9 and
 * restarted 10 s later. Kafka's own system tests (kill -9 under an EOS workload, then count every record) are the
 * model: at the end every accepted job must be final, filed once, and on {@code videos.composed} once.
 *
 * <p>The client is the one a user would write: it submits through either gateway in turn with an Idempotency-Key
 * (so a retry after a lost answer cannot make a second job), waits out a 503 for its Retry-After and goes to the
 * other gateway when one refuses the connection, and polls each job's status until it is final, asking the other
 * gateway at once when one cannot answer (as a load balancer retries another backend).
 */
final class ChaosSoak {
    /** The issue's: a killed instance comes back 10 s after the kill. */
    static final Duration RESTART_AFTER = Duration.ofSeconds(10);
    /** How long the jobs still in flight when submissions end get to finish. */
    static final Duration DRAIN = Duration.ofMinutes(3);

    static final double LOAD = 0.8;
    private static final int INSTANCES = 2;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);
    /** How long one submission is retried across the gateways before it counts as refused. */
    private static final Duration SUBMIT_FOR = Duration.ofSeconds(90);

    private static final List<String> STAGE_GROUPS =
            List.of("tweetreel-renderer", "tweetreel-composer", "tweetreel-storage");
    private static final Set<String> FINAL = Set.of("completed", "failed", "canceled");
    private static final String BODY = "A soak keeps the pipeline at four fifths of its capacity while instances die:"
            + " renderers, composers, storage and gateways. 🚀 #kafka #chaos @tweetreel https://example.com/soak";

    /** The soak's settings; {@code chaos} null means no kills, {@code capacityPerMinute} null means measure it. */
    record Options(Duration soak, Duration chaos, long seed, Double capacityPerMinute, int saturationJobs, Path out) {}

    private final Options options;
    private final Random random;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> gateways = new ArrayList<>();
    private final AtomicInteger nextGateway = new AtomicInteger();
    /** During the soak: "gateway answer" to how many status lookups got it instead of a status. */
    private final Map<String, Integer> lookupMisses = new ConcurrentHashMap<>();
    /** During the soak: status lookups that no gateway answered (the job waits for the next round). */
    private final AtomicInteger unansweredLookups = new AtomicInteger();

    /** Accepted jobs not final yet: job id to when its first submission attempt began (ns). */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();

    /** What the last lookup of each job said (its status, or the gateway's answer), to tell why a job was lost. */
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

    private final List<SoakMinutes.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<SoakReport.LagSample> lag = new CopyOnWriteArrayList<>();
    private final List<SoakReport.Kill> kills = new CopyOnWriteArrayList<>();
    private volatile long soakStartNs;

    ChaosSoak(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    static void main(String[] args) throws Exception {
        Duration soak = null;
        Duration chaos = null;
        long seed = System.currentTimeMillis();
        Double capacity = null;
        int saturation = 8;
        Path out = Path.of("bench", "results");
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--soak" -> soak = SoakDurations.parse(value);
                    case "--chaos" -> chaos = SoakDurations.parse(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--capacity" -> capacity = Double.parseDouble(value);
                    case "--saturation" -> saturation = Integer.parseInt(value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (soak == null) {
                throw new IllegalArgumentException("--soak is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: ./tweetreel bench --soak D [--chaos D] [--seed N] [--capacity JOBS_PER_MIN]"
                    + " [--saturation N] [--out DIR]\n"
                    + "  D like 10m, 60s, 90s; without --chaos no kills. Capacity is measured first (N jobs at"
                    + " once, default 8) unless --capacity gives it.");
            System.exit(2);
        }
        new ChaosSoak(new Options(soak, chaos, seed, capacity, saturation, out)).run();
        System.exit(0);
    }

    void run() throws Exception {
        Path work = Files.createTempDirectory("tweetreel-soak-");
        String startedAt = Instant.now().toString();
        System.out.println(
                "soak: seed " + options.seed() + " (pass --seed " + options.seed() + " to repeat the kills)");
        List<Integer> gatewayPorts = List.of(freePort(), freePort());
        gatewayPorts.forEach(p -> gateways.add("http://127.0.0.1:" + p));
        Map<String, String> env =
                ServiceProcess.sharedEnvironment("bench-soak-filename-secret-0123456789ab", gateways.get(0));
        Path root = ServiceModule.repoRoot();
        List<ServiceProcess> killable = new ArrayList<>();
        for (ServiceModule stage : List.of(ServiceModule.RENDERER, ServiceModule.COMPOSER, ServiceModule.STORAGE)) {
            for (int i = 0; i < INSTANCES; i++) {
                killable.add(new ServiceProcess(stage, i, freePort(), root, env));
            }
        }
        for (int i = 0; i < INSTANCES; i++) {
            killable.add(new ServiceProcess(ServiceModule.GATEWAY, i, gatewayPorts.get(i), root, env));
        }

        try (DevStack stack = new DevStack(
                DevStackConfig.forTests(work.resolve("stack")),
                List.<StackComponent>copyOf(killable),
                System.out::println)) {
            StackEndpoints endpoints = stack.start();
            System.out.println("soak: warming up the pipeline with one job ...");
            awaitAllFinal(List.of(submit("warm-up", requestJson(0))), Duration.ofMinutes(5));

            double capacity;
            String capacitySource;
            if (options.capacityPerMinute() != null) {
                capacity = options.capacityPerMinute();
                capacitySource = "given (--capacity)";
            } else {
                capacity = measureCapacity(options.saturationJobs());
                capacitySource = "measured: " + options.saturationJobs()
                        + " jobs submitted at once, completed per minute (as the bench's (b)), on this stack";
            }
            double rate = LOAD * capacity;
            System.out.printf(
                    Locale.ROOT,
                    "soak: capacity %.1f jobs/min (%s); submitting %.1f jobs/min for %s, %s%n",
                    capacity,
                    capacitySource,
                    rate,
                    SoakDurations.format(options.soak()),
                    options.chaos() == null
                            ? "no kills"
                            : "a kill -9 every " + SoakDurations.format(options.chaos()) + ", restart after "
                                    + SoakDurations.format(RESTART_AFTER));

            soak(stack, endpoints, killable, rate);

            Map<String, List<String>> filed = filedKeysByJob(endpoints);
            Map<String, Integer> composedRecords =
                    CommittedRecords.perKey(endpoints, Topics.VIDEOS_COMPOSED, Duration.ofMinutes(1));
            // how many of the soak's jobs each count found at all, so that a 0 duplicated is not a count of nothing
            System.out.printf(
                    "soak: of %d accepted jobs, %d found in the videos bucket, %d on videos.composed%n",
                    accepted.size(),
                    accepted.stream().filter(filed::containsKey).count(),
                    accepted.stream().filter(composedRecords::containsKey).count());
            Map<String, Integer> duplicated = FiledReels.duplicated(filed, 1);
            Map<String, Integer> composed = FiledReels.moreThanOnce(composedRecords);
            SoakReport report = report(startedAt, capacity, capacitySource, rate, killable, duplicated, composed);
            print(report);
            write(report);
        }
    }

    /** Submits {@code jobs} at once and returns completed jobs per minute. */
    private double measureCapacity(int jobs) throws Exception {
        System.out.println("soak: measuring capacity with " + jobs + " jobs at once ...");
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(submit("capacity-" + i, requestJson(i)));
        }
        awaitAllFinal(ids, Duration.ofMinutes(10));
        return jobs / ((System.nanoTime() - t0) / 60e9);
    }

    private void soak(DevStack stack, StackEndpoints endpoints, List<ServiceProcess> killable, double perMinute)
            throws Exception {
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(3);
        ExecutorService submitters = Executors.newCachedThreadPool();
        ExecutorService restarts = Executors.newCachedThreadPool();
        Set<ServiceProcess> down = ConcurrentHashMap.newKeySet();
        try (Admin admin = Admin.create(endpoints.kafkaClientProperties())) {
            soakStartNs = System.nanoTime();
            lookupMisses.clear(); // the warm-up's and the capacity run's misses are not the soak's
            unansweredLookups.set(0);
            AtomicInteger n = new AtomicInteger();
            long everyMs = Math.max(1, Math.round(60_000 / perMinute));
            ScheduledFuture<?> submitting = clock.scheduleAtFixedRate(
                    () -> {
                        int i = n.getAndIncrement();
                        submitters.execute(() -> submitTracked(i));
                    },
                    0,
                    everyMs,
                    TimeUnit.MILLISECONDS);
            ScheduledFuture<?> polling = clock.scheduleWithFixedDelay(
                    this::pollInFlight, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> sampling = clock.scheduleWithFixedDelay(
                    () -> sampleLag(admin), 0, LAG_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> chaos = options.chaos() == null
                    ? null
                    : clock.scheduleAtFixedRate(
                            () -> killOne(endpoints, killable, down, restarts),
                            options.chaos().toMillis(),
                            options.chaos().toMillis(),
                            TimeUnit.MILLISECONDS);

            clock.schedule(() -> {}, options.soak().toMillis(), TimeUnit.MILLISECONDS)
                    .get();
            submitting.cancel(false);
            if (chaos != null) {
                chaos.cancel(false);
            }
            System.out.printf(Locale.ROOT, "soak: submissions end at %.0f s; waiting for the jobs in flight%n", now());
            submitters.shutdown();
            submitters.awaitTermination(SUBMIT_FOR.toSeconds() + 10, TimeUnit.SECONDS);
            // the last kill's instance comes back before the drain is judged
            restarts.shutdown();
            restarts.awaitTermination(RESTART_AFTER.toSeconds() + 200, TimeUnit.SECONDS);
            long drainEnd = System.nanoTime() + DRAIN.toNanos();
            while (!inFlight.isEmpty() && System.nanoTime() < drainEnd) {
                Thread.sleep(POLL.toMillis()); // the poller ends the jobs; this only waits for it to
            }
            polling.cancel(false);
            sampling.cancel(false);
        } finally {
            clock.shutdownNow();
            submitters.shutdownNow();
            restarts.shutdownNow();
        }
        if (!down.isEmpty()) {
            System.out.println("soak: still down at the end: "
                    + down.stream().map(ServiceProcess::name).toList());
        }
    }

    /**
     * kill -9 of a random live instance whose stage keeps another live instance (so the pipeline never stops
     * whole), and its restart after {@link #RESTART_AFTER}.
     */
    private void killOne(
            StackEndpoints endpoints,
            List<ServiceProcess> killable,
            Set<ServiceProcess> down,
            ExecutorService restarts) {
        List<ServiceProcess> candidates = killable.stream()
                .filter(s -> !down.contains(s))
                .filter(s -> killable.stream()
                        .anyMatch(peer -> peer != s && stageOf(peer).equals(stageOf(s)) && !down.contains(peer)))
                .toList();
        if (candidates.isEmpty()) {
            System.out.printf(
                    Locale.ROOT, "soak: %.0f s: no instance can be killed (every stage's peer down)%n", now());
            return;
        }
        if (now() > options.soak().toSeconds() - 1) {
            // a kill as submissions end would be judged only by the drain, without load; the soak's are inside it
            return;
        }
        ServiceProcess victim = candidates.get(random.nextInt(candidates.size()));
        down.add(victim);
        double killedAt = now();
        victim.kill();
        System.out.printf(Locale.ROOT, "soak: %.0f s: kill -9 %s%n", killedAt, victim.name());
        int index = kills.size();
        kills.add(new SoakReport.Kill(victim.name(), killedAt, null, null, null));
        restarts.execute(() -> {
            try {
                // the issue's fixed pause between the kill and the restart, not a wait for a condition
                Thread.sleep(RESTART_AFTER.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            double restartedAt = now();
            try {
                victim.start(endpoints);
                double readyAt = now();
                kills.set(index, new SoakReport.Kill(victim.name(), killedAt, restartedAt, readyAt, null));
                System.out.printf(
                        Locale.ROOT,
                        "soak: %.0f s: %s restarted, ready at %.0f s%n",
                        restartedAt,
                        victim.name(),
                        readyAt);
                down.remove(victim);
            } catch (Exception e) {
                kills.set(
                        index,
                        new SoakReport.Kill(
                                victim.name(), killedAt, restartedAt, null, String.valueOf(e.getMessage())));
                System.out.println("soak: restart of " + victim.name() + " failed: " + e.getMessage());
            }
        });
    }

    private static String stageOf(ServiceProcess s) {
        int dash = s.name().indexOf('-');
        return dash < 0 ? s.name() : s.name().substring(0, dash);
    }

    private void submitTracked(int i) {
        long t0 = System.nanoTime();
        try {
            String jobId = submit("soak-" + options.seed() + "-" + i, requestJson(i));
            inFlight.put(jobId, t0);
            accepted.add(jobId);
        } catch (Exception e) {
            refused.incrementAndGet();
            System.out.println("soak: submission " + i + " refused: " + e.getMessage());
        }
    }

    /**
     * POST /api/generate through the gateways in turn until one accepts: a 503 is retried after its Retry-After, a
     * refused connection at once on the other gateway. The Idempotency-Key makes every attempt the same job.
     */
    private String submit(String idempotencyKey, Map<String, Object> request) throws Exception {
        String body = Json.MAPPER.writeValueAsString(request);
        long deadline = System.nanoTime() + SUBMIT_FOR.toNanos();
        String last = "no attempt";
        while (System.nanoTime() < deadline) {
            String gateway = gateway();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(gateway + "/api/generate"))
                                .timeout(Duration.ofSeconds(15))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", idempotencyKey)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202 || r.statusCode() == 200) {
                    return Json.MAPPER.readTree(r.body()).get("jobId").asText();
                }
                last = gateway + " answered " + r.statusCode() + ": " + r.body();
                if (r.statusCode() != 503 && r.statusCode() != 429 && r.statusCode() < 500) {
                    throw new IllegalStateException(last);
                }
                long waitSeconds = r.headers()
                        .firstValue("Retry-After")
                        .map(ChaosSoak::seconds)
                        .orElse(1L);
                Thread.sleep(Math.min(10, Math.max(1, waitSeconds)) * 1000); // what the server asked for
            } catch (IOException e) {
                // refused or cut off: the other gateway next; a short pause when both may be restarting
                last = gateway + ": " + e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("not accepted within " + SUBMIT_FOR.toSeconds() + " s; last: " + last);
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String gateway() {
        return gateways.get(Math.floorMod(nextGateway.getAndIncrement(), gateways.size()));
    }

    /** One status lookup per job in flight; a final one leaves the set with its outcome. */
    private void pollInFlight() {
        for (Map.Entry<String, Long> job : inFlight.entrySet()) {
            try {
                status(job.getKey()).ifPresent(status -> {
                    if (FINAL.contains(status) && inFlight.remove(job.getKey()) != null) {
                        long nowNs = System.nanoTime();
                        outcomes.add(new SoakMinutes.Outcome(
                                job.getKey(),
                                (nowNs - soakStartNs) / 1_000_000,
                                (nowNs - job.getValue()) / 1e6,
                                status.equals("completed")));
                        if (!status.equals("completed")) {
                            System.out.printf(Locale.ROOT, "soak: %.0f s: job %s %s%n", now(), job.getKey(), status);
                        }
                    }
                });
            } catch (Exception e) {
                // an unreadable answer; the next round asks again
            }
        }
    }

    /**
     * The job's status from the next gateway or, when that one refuses, times out or cannot say (restoring, not yet
     * known), from the other at once; empty when neither could.
     */
    private Optional<String> status(String jobId) throws Exception {
        int first = Math.floorMod(nextGateway.getAndIncrement(), gateways.size());
        for (int i = 0; i < gateways.size(); i++) {
            Optional<String> status = statusAt((first + i) % gateways.size(), jobId);
            if (status.isPresent()) {
                return status;
            }
        }
        unansweredLookups.incrementAndGet();
        return Optional.empty();
    }

    private Optional<String> statusAt(int gateway, String jobId) throws Exception {
        String answer;
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(gateways.get(gateway) + "/api/jobs/" + jobId))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                String status = Json.MAPPER.readTree(r.body()).path("status").asText();
                lastSeen.put(jobId, status);
                return Optional.of(status);
            }
            answer = "HTTP " + r.statusCode();
        } catch (HttpTimeoutException e) {
            answer = "no answer within 5 s";
        } catch (IOException e) {
            answer = "refused or cut off";
        }
        lastSeen.put(jobId, answer);
        lookupMisses.merge((gateway == 0 ? "gateway" : "gateway-" + (gateway + 1)) + ": " + answer, 1, Integer::sum);
        return Optional.empty();
    }

    /** Waits (outside the soak: warm-up, capacity) until every job is final; fails on a failed one. */
    private void awaitAllFinal(List<String> jobIds, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> left = new ArrayList<>(jobIds);
        while (!left.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not final within " + limit + ": " + left);
            }
            for (String jobId : List.copyOf(left)) {
                String status = status(jobId).orElse("");
                if (status.equals("completed")) {
                    left.remove(jobId);
                } else if (FINAL.contains(status)) {
                    throw new IllegalStateException("job " + jobId + " " + status + " before the soak began");
                }
            }
            Thread.sleep(POLL.toMillis()); // between rounds of lookups, as a polling client would
        }
    }

    /** Sum over the stage groups of end offset minus committed offset. */
    private void sampleLag(Admin admin) {
        try {
            long total = 0;
            for (String group : STAGE_GROUPS) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                for (var e : committed.entrySet()) {
                    if (e.getValue() != null && ends.containsKey(e.getKey())) {
                        total += Math.max(
                                0, ends.get(e.getKey()).offset() - e.getValue().offset());
                    }
                }
            }
            lag.add(new SoakReport.LagSample(now(), total));
        } catch (Exception e) {
            // the broker was busy; the next sample comes in a few seconds
        }
    }

    /** The videos bucket's object names grouped by their job-id metadata. */
    private static Map<String, List<String>> filedKeysByJob(StackEndpoints endpoints) {
        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(endpoints.asEnvironment()));
        ObjectStore store = new MinioObjectStore(objects);
        Map<String, List<String>> byJob = new HashMap<>();
        for (StoredObject listed : store.list(objects.videosBucket(), "")) {
            store.stat(objects.videosBucket(), listed.key())
                    .ifPresent(o -> byJob.computeIfAbsent(
                                    o.metadata().getOrDefault(ObjectLayout.JOB_ID, ""), k -> new ArrayList<>())
                            .add(o.key()));
        }
        return byJob;
    }

    private SoakReport report(
            String startedAt,
            double capacity,
            String capacitySource,
            double rate,
            List<ServiceProcess> instances,
            Map<String, Integer> duplicatedAll,
            Map<String, Integer> composedAll) {
        Set<String> ours = Set.copyOf(accepted);
        Map<String, String> lost = new TreeMap<>();
        accepted.stream()
                .filter(inFlight::containsKey)
                .forEach(id -> lost.put(id, lastSeen.getOrDefault(id, "never looked up")));
        List<String> failed = outcomes.stream()
                .filter(o -> !o.completed())
                .map(SoakMinutes.Outcome::jobId)
                .sorted()
                .toList();
        int completed =
                (int) outcomes.stream().filter(SoakMinutes.Outcome::completed).count();
        // the warm-up and capacity jobs count too: they ran on the same stack and must be filed once as well
        Map<String, Integer> duplicated = duplicatedAll;
        Map<String, Integer> composed = composedAll;
        long outsideSoak =
                duplicated.keySet().stream().filter(id -> !ours.contains(id)).count();
        if (outsideSoak > 0) {
            System.out.println("soak: " + outsideSoak + " duplicated job(s) from before the soak (warm-up, capacity)");
        }
        SoakReport.LagSample peak = lag.stream()
                .max((a, b) -> Long.compare(a.records(), b.records()))
                .orElse(new SoakReport.LagSample(0, 0));
        int soakMinutes = (int) Math.ceil(options.soak().toSeconds() / 60.0);
        return new SoakReport(
                startedAt,
                options.seed(),
                options.soak().toMillis() / 1000.0,
                options.chaos() == null ? null : options.chaos().toMillis() / 1000.0,
                RESTART_AFTER.toSeconds(),
                capacity,
                capacitySource,
                rate,
                instances.stream().map(ServiceProcess::name).toList(),
                accepted.size(),
                refused.get(),
                completed,
                failed.size(),
                lost.size(),
                lost,
                failed,
                duplicated.size(),
                duplicated,
                composed,
                SoakMinutes.of(List.copyOf(outcomes), soakMinutes),
                peak,
                List.copyOf(lag),
                List.copyOf(kills),
                unansweredLookups.get(),
                new TreeMap<>(lookupMisses));
    }

    private static void print(SoakReport r) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "tweet-reel chaos soak: %s at %.1f jobs/min (80 %% of %.1f), %s, seed %d%n",
                SoakDurations.format(Duration.ofMillis((long) (r.soakSeconds() * 1000))),
                r.targetPerMinute(),
                r.capacityPerMinute(),
                r.chaosSeconds() == null
                        ? "no kills"
                        : "kill -9 every " + SoakDurations.format(Duration.ofMillis((long) (r.chaosSeconds() * 1000))),
                r.seed());
        System.out.println("capacity " + r.capacitySource());
        System.out.printf(
                Locale.ROOT,
                "submitted %d  completed %d  failed %d  lost %d  duplicated %d  (refused %d, composed twice %d)%n",
                r.submitted(),
                r.completed(),
                r.failed(),
                r.lost(),
                r.duplicated(),
                r.refused(),
                r.composedMoreThanOnce().size());
        System.out.printf(
                Locale.ROOT,
                "status lookups no gateway answered: %d; answers other than a status: %s%n",
                r.unansweredLookups(),
                r.lookupMisses());
        System.out.printf(
                Locale.ROOT,
                "peak consumer lag %d records at %.0f s%n",
                r.peakLag().records(),
                r.peakLag().atSeconds());
        System.out.printf("%-8s %-10s %-7s %-10s %-10s %s%n", "minute", "completed", "failed", "p50", "p99", "kills");
        for (SoakMinutes.Minute m : r.minutes()) {
            String killed = r.kills().stream()
                    .filter(k -> (int) (k.killedAtSeconds() / 60) == m.minute())
                    .map(SoakReport.Kill::instance)
                    .collect(Collectors.joining(", "));
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %-10d %-7d %-10s %-10s %s%n",
                    m.minute(),
                    m.completed(),
                    m.failed(),
                    secondsText(m.p50Ms()),
                    secondsText(m.p99Ms()),
                    killed);
        }
        System.out.println("kills:");
        for (SoakReport.Kill k : r.kills()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %6.0f s  kill -9 %-11s restarted %s, ready %s%s%n",
                    k.killedAtSeconds(),
                    k.instance(),
                    k.restartedAtSeconds() == null ? "-" : String.format(Locale.ROOT, "%.0f s", k.restartedAtSeconds()),
                    k.readyAtSeconds() == null ? "-" : String.format(Locale.ROOT, "%.0f s", k.readyAtSeconds()),
                    k.error() == null ? "" : " (" + k.error() + ")");
        }
        if (!r.lostJobs().isEmpty()) {
            System.out.println("lost (job: what its last lookup said): " + r.lostJobs());
        }
        if (!r.duplicatedJobs().isEmpty()) {
            System.out.println("duplicated: " + r.duplicatedJobs());
        }
    }

    private static String secondsText(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    private void write(SoakReport report) throws IOException {
        Files.createDirectories(options.out());
        String stem = "soak-" + Instant.now().toString().replace(':', '-');
        Path json = options.out().resolve(stem + ".json");
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        Path chart = options.out().resolve(stem + ".svg");
        String title = String.format(
                Locale.ROOT,
                "chaos soak %s, %s: %d submitted, %d completed, %d failed, %d lost, %d duplicated",
                SoakDurations.format(options.soak()),
                options.chaos() == null ? "no kills" : "kill -9 every " + SoakDurations.format(options.chaos()),
                report.submitted(),
                report.completed(),
                report.failed(),
                report.lost(),
                report.duplicated());
        Files.writeString(chart, SoakChart.svg(title, report.minutes(), report.kills(), report.soakSeconds()));
        System.out.println("written " + json);
        System.out.println("written " + chart);
    }

    private double now() {
        return (System.nanoTime() - soakStartNs) / 1e9;
    }

    private static Map<String, Object> requestJson(int i) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tweetBody", BODY + " #" + i);
        request.put("profileName", "Tweet Reel");
        request.put("username", "tweetreel");
        request.put("theme", i % 2 == 0 ? "dark" : "light");
        request.put("durationSeconds", 5);
        return request;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
