package io.tweetreel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tweetreel.bench.ProcessAccounting.TreePss;
import io.tweetreel.bench.ProcessAccounting.TreeTicks;
import io.tweetreel.composer.BundledMusic;
import io.tweetreel.composer.FfmpegBinaries;
import io.tweetreel.composer.ProgressListener;
import io.tweetreel.composer.ReelComposer;
import io.tweetreel.core.Json;
import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.DevStackConfig;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import io.tweetreel.renderer.CardRenderer;
import io.tweetreel.renderer.CardRequest;
import io.tweetreel.renderer.CardTemplate;
import io.tweetreel.renderer.ImageFetcher;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./tweetreel bench}: the pipeline (services as separate processes on a real stack) measured against, in
 * the same run, (a) its tool floor, a warm browser screenshot plus the same FFmpeg composition called directly;
 * (b) a tight loop of the same tools in one process; (c) a naive worker, a fresh Chromium per job plus
 * {@code ffmpeg -loop 1 ... -preset medium}. Also (d) time per stage and between stages, (e) peak RSS and the PSS of
 * the whole stack at the end of (b), and (f) the throughput after one more composer instance joins the running
 * pipeline, and (g) fairness: a single job's latency while a 200-item batch is queued, against its idle latency.
 * First of all, (h) how long {@code ./tweetreel up} takes until ready, from fresh state and on restart
 * ({@link UpToReady}). Also (i): a job of all four formats against a job of one, end to end and per stage; and
 * (j), before the stack starts: the composer alone on one card and length, static against reveal, zoom and both
 * ({@link MotionBench}).
 * During (b) it accounts the CPU seconds per job of every process of the stack, with the Chromium and FFmpeg
 * processes below a service apart from its JVM. {@code --quick} is a development run: fewer jobs, no (f) and (g),
 * one pair of jobs for (i), two reps of (j).
 * Ratios, not absolute times, are the result: these machines are noisy.
 */
public final class Bench {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final int DURATION = 5;
    /** The issue's targets for {@code ./tweetreel up} to ready, from an empty state directory and on restart. */
    private static final double UP_FRESH_TARGET_SECONDS = 25;

    private static final double UP_RESTART_TARGET_SECONDS = 20;
    /** The issue's fairness case: a single job submitted while this many batch items are queued. */
    private static final int FAIRNESS_BATCH_ITEMS = 200;

    private static final Map<String, Integer> DEFAULTS =
            Map.of("--jobs", 6, "--saturation", 8, "--naive", 3, "--composers", 1);
    /** A development run: too few jobs for a result, enough to see that each part works. */
    private static final Map<String, Integer> QUICK =
            Map.of("--jobs", 3, "--saturation", 4, "--naive", 1, "--composers", 1);

    private static final String BODY = "Shipping short videos at volume means every stage scales on its own: renderers,"
            + " composers and storage each read one topic and write the next. 🚀 #kafka #ffmpeg @tweetreel —"
            + " this post is exactly the size of a typical one, with emoji, a hashtag, a mention and a link"
            + " https://example.com/reels";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    /** The issue's targets with what this run measured, in its order; printed after the table. */
    private final List<Target> targets = new ArrayList<>();

    private final boolean quick;
    private String gateway;

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--soak")) {
            // the chaos soak is its own run on its own stack (two of every instance), not a part of this one
            ChaosSoak.main(args);
            return;
        }
        Map<String, Integer> options = new HashMap<>();
        boolean quick = false;
        Path out = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (DEFAULTS.containsKey(args[i]) && i + 1 < args.length) {
                options.put(args[i], Integer.parseInt(args[++i]));
            } else {
                System.err.println("Usage: ./tweetreel bench [--quick] [--jobs N] [--saturation N] [--naive N]"
                        + " [--composers N] [--out DIR]\n"
                        + "       ./tweetreel bench --soak D [--chaos D] [--seed N] [--capacity JOBS_PER_MIN]"
                        + " [--out DIR]\n"
                        + "  defaults: --jobs 6 --saturation 8 --naive 3 --composers 1 (≈5 min on 2 cores)\n"
                        + "  --quick: --jobs 3 --saturation 4 --naive 1, no scale-out (f) and no fairness (g),"
                        + " for development; the options given still apply");
                System.exit(2);
            }
        }
        // options given on the command line win over the mode's, in any order
        Map<String, Integer> chosen = new HashMap<>(quick ? QUICK : DEFAULTS);
        chosen.putAll(options);
        new Bench(quick)
                .run(
                        chosen.get("--jobs"),
                        chosen.get("--saturation"),
                        chosen.get("--naive"),
                        chosen.get("--composers"),
                        out);
        System.exit(0);
    }

    private Bench(boolean quick) {
        this.quick = quick;
    }

    void run(int jobs, int saturation, int naive, int composers, Path out) throws Exception {
        Path work = Files.createTempDirectory("tweetreel-bench-");
        report.put("startedAt", Instant.now().toString());
        report.put(
                "machine",
                Map.of(
                        "cores",
                        Runtime.getRuntime().availableProcessors(),
                        "java",
                        System.getProperty("java.version")));
        report.put("options", Map.of("jobs", jobs, "saturation", saturation, "naive", naive, "composers", composers));
        report.put("quick", quick);
        if (quick) {
            report.put("skipped", List.of("scaleOut", "fairness"));
        }

        // (h) first, on a machine nothing of the bench loads yet
        reportUpToReady(UpToReady.measure(work.resolve("up")));

        int gatewayPort = freePort();
        gateway = "http://127.0.0.1:" + gatewayPort;
        Map<String, String> env = ServiceProcess.sharedEnvironment("bench-filename-secret-0123456789abcdef", gateway);
        Path root = ServiceModule.repoRoot();
        List<ServiceProcess> services = new ArrayList<>();
        services.add(new ServiceProcess(ServiceModule.RENDERER, 0, freePort(), root, env));
        for (int i = 0; i < composers; i++) {
            services.add(new ServiceProcess(ServiceModule.COMPOSER, i, freePort(), root, env));
        }
        services.add(new ServiceProcess(ServiceModule.STORAGE, 0, freePort(), root, env));
        services.add(new ServiceProcess(ServiceModule.GATEWAY, 0, gatewayPort, root, env));

        Path track = BundledMusic.resolve(null, work.resolve("audio"));
        ReelComposer composer = new ReelComposer(FfmpegBinaries.DEFAULT_HOME, track);
        // (j) before the stack starts: ffmpeg is then this JVM's only child, so its CPU can be told apart
        reportMotion(composer, work.resolve("motion"), quick ? 2 : 5);
        CardTemplate template = CardTemplate.bundled();
        ImageFetcher photos = new ImageFetcher(false);

        try (DevStack stack = new DevStack(
                        DevStackConfig.forTests(work.resolve("stack")),
                        List.<StackComponent>copyOf(services),
                        System.out::println);
                CardRenderer renderer = new CardRenderer(CHROMIUM, template, photos)) {
            stack.start();
            System.out.println("warming up the pipeline with one job ...");
            runJob(0);

            // (a) tool floor vs sequential pipeline latency
            List<Double> floor = new ArrayList<>();
            List<Double> floorRender = new ArrayList<>();
            List<Double> floorCompose = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ToolTimes times = toolJob(renderer, composer, work, "floor-" + i, i);
                floor.add(times.totalMs());
                floorRender.add(times.renderMs());
                floorCompose.add(times.composeMs());
            }
            Map<String, double[]> before = stageTimes(services);
            List<Double> latency = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                latency.add(runJob(i + 1));
            }
            Map<String, double[]> after = stageTimes(services);
            Stats pipe = Stats.of(latency);
            Stats tools = Stats.of(floor);
            row(
                    "(a) latency, sequential jobs",
                    ms(pipe.p50()) + " p50 / " + ms(pipe.p95()) + " p95",
                    "tool floor " + ms(tools.p50()) + " p50",
                    ratio(pipe.p50() / tools.p50()));
            report.put("latency", Map.of("pipeline", pipe, "toolFloor", tools, "ratio", pipe.p50() / tools.p50()));
            target("latency / tool floor", pipe.p50() / tools.p50(), 1.15, false, "%.2fx");

            // (g) fairness: a single job while 200 batch items are queued, against its idle latency from (a)
            if (!quick) {
                double behindBatch = singleJobBehindBatch(FAIRNESS_BATCH_ITEMS, 1000);
                row(
                        "(g) single job behind a " + FAIRNESS_BATCH_ITEMS + "-item batch",
                        ms(behindBatch),
                        "idle " + ms(pipe.p50()) + " p50 (target <= 3x)",
                        ratio(behindBatch / pipe.p50()));
                report.put(
                        "fairness",
                        Map.of(
                                "batchItems",
                                FAIRNESS_BATCH_ITEMS,
                                "singleJobBehindBatchMs",
                                behindBatch,
                                "idleP50Ms",
                                pipe.p50(),
                                "ratio",
                                behindBatch / pipe.p50()));
            }

            // (d) time per stage (the stages' own histograms) and between stages (the rest)
            Map<String, Object> stages = new LinkedHashMap<>();
            double inStages = 0;
            for (var e : after.entrySet()) {
                double[] b = before.getOrDefault(e.getKey(), new double[] {0, 0});
                double count = e.getValue()[1] - b[1];
                double mean = count > 0 ? (e.getValue()[0] - b[0]) / count * 1000 : Double.NaN;
                stages.put(e.getKey(), mean);
                inStages += Double.isNaN(mean) ? 0 : mean;
                row("(d) stage " + e.getKey(), ms(mean) + " mean per job", "", "");
            }
            // the floor's own two steps, to set each stage against the bare tool it wraps
            double floorRenderMs = Stats.of(floorRender).mean();
            double floorComposeMs = Stats.of(floorCompose).mean();
            row("(d) tool floor render", ms(floorRenderMs) + " mean per job", "the same card, a warm browser", "");
            row("(d) tool floor compose", ms(floorComposeMs) + " mean per job", "the same reel and poster", "");
            stages.put("toolFloorRender", floorRenderMs);
            stages.put("toolFloorCompose", floorComposeMs);
            double between = pipe.mean() - inStages;
            row("(d) between stages", ms(between) + " mean per job", "Kafka hops, status delivery to the client", "");
            stages.put("betweenStages", between);
            report.put("stages", stages);

            // (i) a job of every format against a job of one, alternated so both see the same machine
            reportFormats(services, quick ? 1 : 2, 300);

            // (b) throughput at saturation vs a tight loop of the same tools; CPU and PSS of the stack meanwhile
            List<StackProcess> accounted = stackProcesses(stack, services);
            Map<String, TreeTicks> cpuBefore = cpuTicks(accounted);
            long machineBefore = ProcessAccounting.machineBusyTicks();
            double pipelinePerMin = saturate(saturation, 100);
            long machineTicks = ProcessAccounting.machineBusyTicks() - machineBefore;
            Map<String, TreeTicks> cpuAfter = cpuTicks(accounted);
            Map<String, TreePss> pssAtEnd = new LinkedHashMap<>();
            for (StackProcess p : accounted) {
                pssAtEnd.put(p.name(), ProcessAccounting.pss(p.handle()));
            }
            double tightPerMin = tightLoop(renderer, template, photos, composer, work, saturation);
            row(
                    "(b) throughput at saturation",
                    String.format(Locale.ROOT, "%.1f jobs/min", pipelinePerMin),
                    String.format(Locale.ROOT, "tight loop %.1f jobs/min", tightPerMin),
                    ratio(pipelinePerMin / tightPerMin));
            report.put(
                    "throughput",
                    Map.of(
                            "pipelinePerMinute",
                            pipelinePerMin,
                            "tightLoopPerMinute",
                            tightPerMin,
                            "ratio",
                            pipelinePerMin / tightPerMin));
            target("throughput at saturation / tight loop", pipelinePerMin / tightPerMin, 0.85, true, "%.2fx");
            reportCpuPerJob(accounted, cpuBefore, cpuAfter, machineTicks, saturation, 60 / pipelinePerMin);

            // (f) one more composer instance joins the running pipeline: same jobs, same run
            ServiceProcess extra = null;
            if (!quick) {
                extra = new ServiceProcess(ServiceModule.COMPOSER, composers, freePort(), root, env);
                // started outside the stack, so stopped by us, before the stack goes
                Runtime.getRuntime().addShutdownHook(new Thread(extra::kill));
                extra.start(stack.endpoints());
                services.add(extra);
                awaitComposersShareTheWork(services);
                double scaledPerMin = saturate(saturation, 200);
                row(
                        "(f) throughput, " + (composers + 1) + " composers",
                        String.format(Locale.ROOT, "%.1f jobs/min", scaledPerMin),
                        String.format(Locale.ROOT, "%d composer(s) %.1f jobs/min", composers, pipelinePerMin),
                        ratio(scaledPerMin / pipelinePerMin));
                report.put(
                        "scaleOut",
                        Map.of(
                                "composersBefore",
                                composers,
                                "perMinuteBefore",
                                pipelinePerMin,
                                "composersAfter",
                                composers + 1,
                                "perMinuteAfter",
                                scaledPerMin,
                                "ratio",
                                scaledPerMin / pipelinePerMin));
            }

            // (c) a naive worker: fresh browser per job, -loop 1, preset medium
            NaiveReelComposer naiveComposer = new NaiveReelComposer(composer.binaries());
            List<Double> naiveTimes = new ArrayList<>();
            for (int i = 0; i < naive; i++) {
                long t0 = System.nanoTime();
                Path png = work.resolve("naive-" + i + ".png");
                try (CardRenderer fresh = new CardRenderer(CHROMIUM, template, photos)) {
                    fresh.render(card(i), png);
                }
                naiveComposer.compose(png, track, DURATION, work.resolve("naive-" + i + ".mp4"));
                naiveTimes.add((System.nanoTime() - t0) / 1e6);
            }
            Stats naiveStats = Stats.of(naiveTimes);
            row(
                    "(c) naive worker per job",
                    ms(naiveStats.p50()) + " p50",
                    "pipeline " + ms(pipe.p50()) + " p50",
                    ratio(naiveStats.p50() / pipe.p50()) + " slower");
            report.put("naive", Map.of("naiveWorker", naiveStats, "ratioToPipeline", naiveStats.p50() / pipe.p50()));
            target("naive worker / pipeline latency", naiveStats.p50() / pipe.p50(), 3, true, "%.2fx");

            // (e) peak RSS of each process
            Map<String, Long> rss = new LinkedHashMap<>();
            rss.put(
                    "bench JVM (Kafka + S3 + tools)",
                    peakRssKb(ProcessHandle.current().pid()));
            stack.registryProcess().ifPresent(p -> rss.put("registry", peakRssKb(p.pid())));
            for (ServiceProcess s : services) {
                s.handle().ifPresent(p -> rss.put(s.name(), peakRssKb(p.pid())));
            }
            rss.forEach((name, kb) -> row("(e) peak RSS " + name, kb / 1024 + " MiB", "", ""));
            report.put("peakRssKiB", rss);
            reportPss(accounted, pssAtEnd);
            if (extra != null) {
                extra.stop();
            }
        }
        print();
        printTargets();
        Files.createDirectories(out);
        Path file = out.resolve(
                (quick ? "bench-quick-" : "bench-") + Instant.now().toString().replace(':', '-') + ".json");
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        System.out.println("written " + file);
    }

    /**
     * A process of the stack, accounted during (b): its own row, and one for what runs below it (Chromium and the
     * Playwright driver under the renderer, FFmpeg under the composer) when that belongs to the stack.
     */
    private record StackProcess(String name, ProcessHandle handle, Optional<String> childrenName) {}

    private static List<StackProcess> stackProcesses(DevStack stack, List<ServiceProcess> services) {
        List<StackProcess> all = new ArrayList<>();
        // the broker and S3 run inside this JVM here (own containers in docker-compose.yml); its children are the
        // bench's own browser and encodes for the floor and the tight loop, idle during (b) and not the stack
        all.add(new StackProcess("bench JVM: Kafka, S3, client", ProcessHandle.current(), Optional.empty()));
        stack.registryProcess()
                .ifPresent(p -> all.add(new StackProcess("registry", p, Optional.of("registry children"))));
        for (ServiceProcess s : services) {
            String children = s.name().startsWith("renderer")
                    ? " Chromium + driver"
                    : s.name().startsWith("composer") ? " FFmpeg" : " children";
            s.handle()
                    .ifPresent(p -> all.add(new StackProcess(s.name() + " JVM", p, Optional.of(s.name() + children))));
        }
        return all;
    }

    private static Map<String, TreeTicks> cpuTicks(List<StackProcess> processes) {
        Map<String, TreeTicks> ticks = new LinkedHashMap<>();
        for (StackProcess p : processes) {
            ticks.put(p.name(), ProcessAccounting.cpuTicks(p.handle()));
        }
        return ticks;
    }

    /**
     * CPU seconds per job of each process during (b), the stack's sum against the whole machine's (which also
     * holds anything else running here) and against what the cores could give in the same wall time.
     */
    private void reportCpuPerJob(
            List<StackProcess> processes,
            Map<String, TreeTicks> before,
            Map<String, TreeTicks> after,
            long machineTicks,
            int jobs,
            double wallSecondsPerJob) {
        Map<String, Double> perJob = new LinkedHashMap<>();
        for (StackProcess p : processes) {
            TreeTicks used = after.get(p.name()).minus(before.get(p.name()));
            perJob.put(p.name(), perJobSeconds(used.root(), jobs));
            // a process without children of its own gets no row for them
            p.childrenName()
                    .filter(children -> used.descendants() > 0)
                    .ifPresent(children -> perJob.put(children, perJobSeconds(used.descendants(), jobs)));
        }
        double stack = perJob.values().stream().mapToDouble(Double::doubleValue).sum();
        double machine = perJobSeconds(machineTicks, jobs);
        int cores = Runtime.getRuntime().availableProcessors();
        perJob.forEach((name, seconds) -> row(
                "(b) CPU/job " + name,
                seconds(seconds),
                String.format(Locale.ROOT, "%.0f%% of the stack", 100 * seconds / stack),
                ""));
        row(
                "(b) CPU/job stack total",
                seconds(stack),
                "machine " + seconds(machine) + ", " + cores + " cores x wall " + seconds(cores * wallSecondsPerJob),
                ratio(stack / machine) + " of machine");
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("jobs", jobs);
        cpu.put("wallSecondsPerJob", wallSecondsPerJob);
        cpu.put("cores", cores);
        cpu.put("cpuSecondsPerJob", perJob);
        cpu.put("stackCpuSecondsPerJob", stack);
        cpu.put("machineCpuSecondsPerJob", machine);
        report.put("saturationCpu", cpu);
    }

    /**
     * PSS at the end of (b): each process, what runs below it, and the whole stack. PSS splits a shared page among
     * the processes that map it, so unlike summed RSS the total counts a page the stack's processes share (the
     * JVM's code, Chromium's) once.
     */
    private void reportPss(List<StackProcess> processes, Map<String, TreePss> pssAtEnd) {
        Map<String, Long> kib = new LinkedHashMap<>();
        for (StackProcess p : processes) {
            TreePss pss = pssAtEnd.get(p.name());
            kib.put(p.name(), pss.rootKib());
            p.childrenName()
                    .filter(children -> pss.descendantsKib() > 0)
                    .ifPresent(children -> kib.put(children, pss.descendantsKib()));
        }
        long stack = kib.values().stream().mapToLong(Long::longValue).sum();
        kib.forEach((name, size) -> row("(e) PSS " + name, size / 1024 + " MiB", "at the end of (b)", ""));
        row("(e) PSS stack total", stack / 1024 + " MiB", "at the end of (b), all processes of the stack", "");
        report.put("pssKiBAtEndOfSaturation", kib);
        report.put("stackPssKiB", stack);
        // GB as the issue writes it: 10^9 bytes
        target("stack PSS, MAX_CONCURRENT_JOBS=2", stack * 1024 / 1e9, 2.0, false, "%.2f GB");
    }

    /** (h): the total of each start against the issue's target, then each part's time, fresh and on restart. */
    private void reportUpToReady(UpToReady.Result up) {
        target("`up` to ready, fresh state", up.fresh().totalSeconds(), UP_FRESH_TARGET_SECONDS, false, "%.1f s");
        target("`up` to ready, restart", up.restart().totalSeconds(), UP_RESTART_TARGET_SECONDS, false, "%.1f s");
        row(
                "(h) `up` to ready, fresh state",
                seconds(up.fresh().totalSeconds()),
                "target <= " + seconds(UP_FRESH_TARGET_SECONDS),
                ratio(up.fresh().totalSeconds() / UP_FRESH_TARGET_SECONDS) + " of target");
        row(
                "(h) `up` to ready, restart",
                seconds(up.restart().totalSeconds()),
                "target <= " + seconds(UP_RESTART_TARGET_SECONDS),
                ratio(up.restart().totalSeconds() / UP_RESTART_TARGET_SECONDS) + " of target");
        up.fresh().partSeconds().forEach((part, fresh) -> {
            Double restart = up.restart().partSeconds().get(part);
            row(
                    "(h) `up`, " + part + " ready after",
                    seconds(fresh) + " fresh",
                    restart == null ? "" : seconds(restart) + " restart",
                    "");
        });
        report.put(
                "upToReady",
                Map.of(
                        "freshSeconds",
                        up.fresh().totalSeconds(),
                        "restartSeconds",
                        up.restart().totalSeconds(),
                        "freshPartSeconds",
                        up.fresh().partSeconds(),
                        "restartPartSeconds",
                        up.restart().partSeconds()));
    }

    private static double perJobSeconds(long ticks, int jobs) {
        return (double) ticks / ProcessAccounting.TICKS_PER_SECOND / jobs;
    }

    private static CardRequest card(int i) {
        return new CardRequest(BODY + " #" + i, "Tweet Reel", "tweetreel", i % 2 == 0 ? Theme.dark : Theme.light, null);
    }

    /** One job with the tools called directly: warm render + the same composition the composer runs. */
    /** One job of the bare tools: the render and the compose, in milliseconds. */
    private record ToolTimes(double renderMs, double composeMs) {
        double totalMs() {
            return renderMs + composeMs;
        }
    }

    private static ToolTimes toolJob(CardRenderer renderer, ReelComposer composer, Path work, String name, int i)
            throws Exception {
        long t0 = System.nanoTime();
        Path png = work.resolve(name + ".png");
        renderer.render(card(i), png);
        long rendered = System.nanoTime();
        // the same outputs as a pipeline job: the reel and its poster, from one ffmpeg run
        composer.compose(
                png,
                DURATION,
                ReelFormat.DEFAULT,
                work.resolve(name + ".mp4"),
                work.resolve(name + ".jpg"),
                ProgressListener.NONE,
                ReelComposer.StopHook.NONE);
        return new ToolTimes((rendered - t0) / 1e6, (System.nanoTime() - rendered) / 1e6);
    }

    /** The same jobs as the saturation run, two workers in one process (one per core), each with its browser. */
    private static double tightLoop(
            CardRenderer first, CardTemplate template, ImageFetcher photos, ReelComposer composer, Path work, int jobs)
            throws Exception {
        try (CardRenderer second = new CardRenderer(CHROMIUM, template, photos)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Instant start = Instant.now();
            List<Future<Double>> done = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                CardRenderer renderer = i % 2 == 0 ? first : second;
                int n = i;
                done.add(pool.submit(
                        () -> toolJob(renderer, composer, work, "tight-" + n, n).totalMs()));
            }
            for (Future<Double> f : done) {
                f.get();
            }
            pool.shutdown();
            return jobs / (Duration.between(start, Instant.now()).toMillis() / 60_000.0);
        }
    }

    /** Submits {@code jobs} at once and returns completed jobs per minute. */
    private double saturate(int jobs, int firstIndex) throws Exception {
        Instant start = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(submit(firstIndex + i));
        }
        for (String id : ids) {
            awaitCompleted(id);
        }
        return jobs / (Duration.between(start, Instant.now()).toMillis() / 60_000.0);
    }

    /**
     * Queues a batch of {@code items} (POST /api/batches), then measures one single job submitted right after it,
     * and cancels the batch (POST /api/batches/{id}/cancel) so the runs after this one see an idle pipeline again.
     */
    private double singleJobBehindBatch(int items, int firstIndex) throws Exception {
        List<Map<String, Object>> batchItems = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            batchItems.add(requestJson(firstIndex + i));
        }
        HttpResponse<String> accepted = post("/api/batches", Map.of("items", batchItems));
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("batch answered " + accepted.statusCode() + ": " + accepted.body());
        }
        String batchId = Json.MAPPER.readTree(accepted.body()).get("batchId").asText();
        try {
            return runJob(firstIndex + items);
        } finally {
            HttpResponse<String> canceled = post("/api/batches/" + batchId + "/cancel", Map.of());
            if (canceled.statusCode() / 100 != 2) {
                System.err.println("cancel of batch " + batchId + " answered " + canceled.statusCode());
            }
        }
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> requestJson(int i) {
        return Map.of(
                "tweetBody",
                BODY + " #" + i,
                "profileName",
                "Tweet Reel",
                "username",
                "tweetreel",
                "theme",
                i % 2 == 0 ? "dark" : "light",
                "durationSeconds",
                DURATION);
    }

    /**
     * (i): {@code pairs} times a 1-format job then a 4-format job (the same post), end to end as a client sees it
     * and per stage (each job's own stage-time delta, as jobs run one at a time).
     */
    private void reportFormats(List<ServiceProcess> services, int pairs, int firstIndex) throws Exception {
        List<Double> one = new ArrayList<>();
        List<Double> four = new ArrayList<>();
        Map<String, double[]> stageOne = new LinkedHashMap<>();
        Map<String, double[]> stageFour = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            for (List<String> formats : List.of(List.of(ReelFormat.DEFAULT.label()), ReelFormat.labels())) {
                Map<String, Object> request = new HashMap<>(requestJson(firstIndex + i));
                request.put("formats", formats);
                Map<String, double[]> before = stageTimes(services);
                long t0 = System.nanoTime();
                JsonNode job = awaitCompleted(submit(request));
                double millis = (System.nanoTime() - t0) / 1e6;
                int outputs = job.path("result").path("outputs").size();
                if (outputs != formats.size()) {
                    throw new IllegalStateException(
                            "a job of " + formats.size() + " format(s) completed with " + outputs + " output(s)");
                }
                Map<String, double[]> after = stageTimes(services);
                (formats.size() == 1 ? one : four).add(millis);
                Map<String, double[]> sums = formats.size() == 1 ? stageOne : stageFour;
                after.forEach((stage, t) -> {
                    double[] b = before.getOrDefault(stage, new double[] {0, 0});
                    double[] sum = sums.computeIfAbsent(stage, k -> new double[2]);
                    sum[0] += t[0] - b[0];
                    sum[1] += t[1] - b[1];
                });
            }
        }
        Stats oneStats = Stats.of(one);
        Stats fourStats = Stats.of(four);
        row(
                "(i) 4-format job (9:16, 1:1, 4:5, 16:9)",
                ms(fourStats.mean()) + " mean of " + four.size(),
                "1-format job " + ms(oneStats.mean()) + " mean",
                ratio(fourStats.mean() / oneStats.mean()));
        Map<String, Object> perStage = new LinkedHashMap<>();
        for (var e : stageFour.entrySet()) {
            double[] o = stageOne.getOrDefault(e.getKey(), new double[] {0, 0});
            double fourMs = e.getValue()[1] > 0 ? e.getValue()[0] / e.getValue()[1] * 1000 : Double.NaN;
            double oneMs = o[1] > 0 ? o[0] / o[1] * 1000 : Double.NaN;
            row(
                    "(i) stage " + e.getKey() + ", 4 formats",
                    ms(fourMs) + " mean",
                    "1 format " + ms(oneMs),
                    ratio(fourMs / oneMs));
            perStage.put(e.getKey(), Map.of("fourFormatsMs", fourMs, "oneFormatMs", oneMs, "ratio", fourMs / oneMs));
        }
        report.put(
                "formats",
                Map.of(
                        "pairs",
                        pairs,
                        "oneFormat",
                        oneStats,
                        "fourFormats",
                        fourStats,
                        "ratio",
                        fourStats.mean() / oneStats.mean(),
                        "stages",
                        perStage));
    }

    /**
     * (j): compose time of a static, reveal, zoom and reveal+zoom reel of the same card and length, as wall clock
     * and ffmpeg CPU, each against the static reel (issue target: reveal at most 2x static).
     */
    private void reportMotion(ReelComposer composer, Path work, int reps) throws Exception {
        Files.createDirectories(work);
        Map<String, MotionBench.Timing> timings = MotionBench.measure(composer, BODY, work, reps);
        MotionBench.Timing still = timings.get("static");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reps", reps);
        json.put("reelSeconds", MotionBench.revealCard(BODY, work).durationSeconds());
        timings.forEach((kind, t) -> {
            double wallRatio = t.wallMs().mean() / still.wallMs().mean();
            double cpuRatio = t.cpuMs().mean() / still.cpuMs().mean();
            row(
                    "(j) compose " + kind + ", same card and length",
                    ms(t.wallMs().mean()) + " mean, CPU " + ms(t.cpuMs().mean()),
                    kind.equals("static")
                            ? "reveal target <= 2.00x static"
                            : "static " + ms(still.wallMs().mean()) + ", CPU "
                                    + ms(still.cpuMs().mean()),
                    ratio(wallRatio) + " (CPU " + ratio(cpuRatio) + ")");
            json.put(
                    kind,
                    Map.of("wallMs", t.wallMs(), "cpuMs", t.cpuMs(), "wallRatio", wallRatio, "cpuRatio", cpuRatio));
        });
        report.put("motion", json);
    }

    /** Waits until every composer instance owns partitions (the group has rebalanced). */
    private void awaitComposersShareTheWork(List<ServiceProcess> services) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (ServiceProcess s : services) {
                if (s.name().startsWith("composer")) {
                    JsonNode status = Json.MAPPER.readTree(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/status"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                    all &= status.get("assignedPartitions").size() > 0;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the added composer got no partitions within 2 minutes");
    }

    /** Submits a job over HTTP and waits for it; returns the latency a client sees. */
    private double runJob(int i) throws Exception {
        long t0 = System.nanoTime();
        awaitCompleted(submit(i));
        return (System.nanoTime() - t0) / 1e6;
    }

    private String submit(int i) throws Exception {
        return submit(requestJson(i));
    }

    private String submit(Map<String, Object> request) throws Exception {
        HttpResponse<String> r = post("/api/generate", request);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body()).get("jobId").asText();
    }

    /**
     * Follows the job's event stream until it ends; returns the completed job. A client polling every few ms
     * would itself load the 2-core machine (40 lookups a second slowed the encode by 15-30 %) and add up to its
     * interval to each latency.
     */
    private JsonNode awaitCompleted(String jobId) throws Exception {
        HttpResponse<Stream<String>> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/jobs/" + jobId + "/events"))
                        .timeout(Duration.ofMinutes(10))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("events of job " + jobId + " answered " + r.statusCode());
        }
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode job = Json.MAPPER.readTree(line.substring(5));
                String status = job.path("status").asText();
                if (status.equals("completed")) {
                    return job;
                }
                if (status.equals("failed")) {
                    throw new IllegalStateException("job " + jobId + " failed: " + job.get("error"));
                }
            }
        }
        throw new IllegalStateException("the event stream of job " + jobId + " ended before the job did");
    }

    private static final Pattern STEP_METRIC = Pattern.compile(
            "^tweetreel_step_duration_seconds_(sum|count)\\{[^}]*outcome=\"success\"[^}]*stage=\"(\\w+)\"[^}]*}\\s+([0-9.eE+-]+)$");

    /** Per stage: [sum seconds, count] of successful jobs, from each stage's Prometheus endpoint. */
    private Map<String, double[]> stageTimes(List<ServiceProcess> services) throws Exception {
        Map<String, double[]> times = new LinkedHashMap<>();
        for (ServiceProcess s : services) {
            if (s.name().startsWith("gateway")) {
                continue;
            }
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : metrics.split("\n")) {
                Matcher m = STEP_METRIC.matcher(line);
                if (m.matches()) {
                    double[] t = times.computeIfAbsent(m.group(2), k -> new double[2]);
                    t[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
                }
            }
        }
        return times;
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone or no /proc
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void row(String what, String measured, String against, String ratio) {
        table.add(new String[] {what, measured, against, ratio});
    }

    /**
     * One of the issue's targets: {@code atLeast} says which side of {@code limit} meets it.
     *
     * @param unit how the value and limit print ({@code %.2fx}, {@code %.1f s}, ...)
     */
    private record Target(String measure, double value, double limit, boolean atLeast, String unit) {
        boolean met() {
            return atLeast ? value >= limit : value <= limit;
        }
    }

    private void target(String measure, double value, double limit, boolean atLeast, String unit) {
        targets.add(new Target(measure, value, limit, atLeast, unit));
    }

    private void printTargets() {
        if (targets.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf("%-42s %-12s %-12s %s%n", "target (issue: Cost per reel)", "this run", "target", "");
        List<Map<String, Object>> json = new ArrayList<>();
        for (Target t : targets) {
            System.out.printf(
                    "%-42s %-12s %-12s %s%n",
                    t.measure(),
                    String.format(Locale.ROOT, t.unit(), t.value()),
                    (t.atLeast() ? ">= " : "<= ") + String.format(Locale.ROOT, t.unit(), t.limit()),
                    t.met() ? "met" : "missed");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("measure", t.measure());
            entry.put("value", t.value());
            entry.put(t.atLeast() ? "atLeast" : "atMost", t.limit());
            entry.put("met", t.met());
            json.add(entry);
        }
        report.put("targets", json);
    }

    private void print() {
        System.out.println();
        System.out.println(
                quick
                        ? "tweet-reel bench, quick (development: too few jobs for a result; no (f), no (g))"
                        : "tweet-reel bench");
        System.out.printf("%-46s %-30s %-46s %s%n", "measure", "pipeline", "baseline (same run)", "ratio");
        for (String[] r : table) {
            System.out.printf("%-46s %-30s %-46s %s%n", (Object[]) r);
        }
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }
}
