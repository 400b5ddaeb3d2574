package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local tweet-reel environment: a Kafka broker (KRaft, in this JVM; or with {@code --brokers 3} a
 * {@link KafkaCluster} of three child JVMs), then Apicurio Registry (child JVM, data kept
 * in Kafka) and an S3 server (S3Proxy, in this JVM) at the same time, then the given {@link StackComponent}s at the
 * same time (see {@link StackComponent#needsEarlierComponents()}). Everything persistent lives under the state
 * directory, so a second start finds the same topics, objects and schema ids. {@link #close()} stops everything in
 * reverse order of start.
 *
 * <pre>{@code
 * try (DevStack stack = new DevStack(DevStackConfig.forTests(dir), List.of(), System.out::println)) {
 *     StackEndpoints endpoints = stack.start();
 *     ...
 * }
 * }</pre>
 */
public final class DevStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    private final DevStackConfig config;
    private final List<StackComponent> components;
    private final Consumer<String> reporter;
    private final String okMark;
    private final String failMark;
    /** What has started, newest first: each entry knows how to stop itself. */
    private final Deque<Running> running = new ArrayDeque<>();

    private volatile boolean closed;
    /** close() was called from elsewhere (Ctrl-C) while start() ran, as opposed to start() failing by itself. */
    private volatile boolean closedWhileStarting;

    private volatile StackEndpoints endpoints;
    private volatile Duration startupTime;
    private volatile ApicurioRegistry registry;
    /** The broker of a one-broker stack; null with a cluster. */
    private volatile EmbeddedKafka kafka;
    /** The brokers of a stack with {@code --brokers 3}; null with one broker. */
    private volatile KafkaCluster cluster;

    private volatile EmbeddedS3 s3;
    private FileChannel lockChannel;
    private FileLock stateLock;

    /**
     * @param config     where state lives and which ports to use
     * @param components started after the infrastructure, in this order; stopped in reverse
     * @param reporter   receives the human-readable start-up and summary lines
     */
    public DevStack(DevStackConfig config, List<StackComponent> components, Consumer<String> reporter) {
        this.config = Objects.requireNonNull(config, "config");
        this.components = List.copyOf(components);
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        boolean fancy = outputCharset().newEncoder().canEncode("✔✘");
        this.okMark = fancy ? "✔" : "OK";
        this.failMark = fancy ? "✘" : "FAILED";
    }

    /**
     * Starts everything, one line per part when it is ready, then a summary. On failure, stops what had started
     * and rethrows. An instance starts once; after {@link #close()} make a new one. {@link #close()} may be called from another thread meanwhile (Ctrl-C) and makes this fail.
     */
    public StackEndpoints start() throws Exception {
        if (endpoints != null) {
            return endpoints;
        }
        if (closed) {
            throw new IllegalStateException("this dev stack was closed; create a new DevStack to start again");
        }
        long startedAt = System.nanoTime();
        try {
            lockStateDir();
            Path apicurioHome = ApicurioRegistry.locateHome();

            Part kafkaPart;
            Map<String, String> kafkaSecurity;
            if (config.brokers() == 1) {
                KafkaScram scram = config.kafkaAuth() ? KafkaScram.keptIn(config.stateDir()) : null;
                kafka = new EmbeddedKafka(
                        config.stateDir().resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(), scram);
                kafkaPart = new Part("kafka", kafka::start, kafka::stop);
                kafkaSecurity = kafka.clientSecurity();
            } else {
                // DevStackConfig refuses --kafka-auth with a cluster
                cluster = new KafkaCluster(config.stateDir(), config.kafkaPort(), config.kafkaControllerPort());
                kafkaPart = new Part("kafka", cluster::start, cluster::stop);
                kafkaSecurity = Map.of();
            }
            String bootstrapServers = startTogether(List.of(kafkaPart)).get(0);
            writeKafkaClientProperties(bootstrapServers, kafkaSecurity);

            registry = new ApicurioRegistry(
                    apicurioHome,
                    config.stateDir().resolve("registry"),
                    config.stateDir().resolve("logs/registry.log"),
                    config.registryPort(),
                    bootstrapServers,
                    kafkaSecurity,
                    config.registryStartTimeout());
            s3 = new EmbeddedS3(
                    config.stateDir().resolve("s3"), config.s3Port(), config.s3AccessKey(), config.s3SecretKey());
            // the registry (a child JVM, the longest part) needs only Kafka and the S3 server nothing: both at once
            List<String> addresses = startTogether(List.of(
                    new Part("registry", registry::start, registry::stop), new Part("s3", s3::start, s3::stop)));
            String registryUrl = addresses.get(0);
            String s3Endpoint = addresses.get(1);

            StackEndpoints ready = new StackEndpoints(
                    bootstrapServers,
                    registryUrl + "/apis/registry/v3",
                    registryUrl + "/apis/ccompat/v7",
                    s3Endpoint,
                    config.s3AccessKey(),
                    config.s3SecretKey(),
                    DevStackConfig.S3_REGION,
                    config.stateDir(),
                    kafkaSecurity,
                    config.brokers());
            // The services only after the registry: a record a stage reads before the registry answers cannot be
            // decoded and goes to the dead-letter topic, and on a restart requests may be waiting. Each service
            // waits for Kafka and its consumer group by itself, so they start together: their start-up is mostly
            // JVM warm-up and waiting on the broker, which overlap.
            List<Part> together = new ArrayList<>();
            for (StackComponent component : components) {
                Part part = new Part(component.name(), () -> component.start(ready), component::stop);
                if (component.needsEarlierComponents()) {
                    startTogether(together);
                    together.clear();
                    startTogether(List.of(part));
                } else {
                    together.add(part);
                }
            }
            startTogether(together);
            startupTime = Duration.ofNanos(System.nanoTime() - startedAt);
            endpoints = ready;
            reportSummary(ready);
            return ready;
        } catch (Exception | Error e) {
            closedWhileStarting = closed;
            close();
            throw e;
        }
    }

    /** The endpoints of the running stack. */
    public StackEndpoints endpoints() {
        StackEndpoints current = endpoints;
        if (current == null) {
            throw new IllegalStateException("the dev stack is not running");
        }
        return current;
    }

    /**
     * The broker of a one-broker stack, for fault tests: {@link EmbeddedKafka#stop()} takes it away from every client
     * and {@link EmbeddedKafka#start()} brings it back on the same address with the same data.
     */
    public EmbeddedKafka kafka() {
        endpoints();
        if (kafka == null) {
            throw new IllegalStateException("this stack runs " + KafkaCluster.NODES
                    + " Kafka nodes, not one broker: see killBroker, restartBroker and liveBrokerIds");
        }
        return kafka;
    }

    /**
     * Kills Kafka node {@code nodeId} (1 to 3) of a {@code --brokers 3} stack with SIGKILL, and returns once its
     * process is gone. The cluster fences its broker after the broker session timeout (9 s), see
     * {@link #liveBrokerIds()}.
     */
    public void killBroker(int nodeId) throws Exception {
        cluster().kill(nodeId);
    }

    /** Starts killed Kafka node {@code nodeId} again on its address with its log; returns once it serves clients. */
    public void restartBroker(int nodeId) throws Exception {
        cluster().restart(nodeId);
    }

    /** The ids of the brokers the cluster counts as live (registered and not fenced). */
    public Set<Integer> liveBrokerIds() throws Exception {
        endpoints();
        return cluster != null ? cluster.liveBrokerIds() : Set.of(1);
    }

    private KafkaCluster cluster() {
        endpoints();
        if (cluster == null) {
            throw new IllegalStateException("this stack runs one Kafka broker in its own JVM; start it with "
                    + "--brokers 3 (DevStackConfig.withBrokers(3)) to kill and restart brokers");
        }
        return cluster;
    }

    /** The S3 server, for fault tests: stop and start it again on the same address with the same objects. */
    public EmbeddedS3 s3() {
        endpoints();
        return s3;
    }

    /** From the call to {@link #start()} until everything was ready. */
    public Duration startupTime() {
        return Objects.requireNonNull(startupTime, "not started");
    }

    /** The registry's child process while it runs. */
    public Optional<ProcessHandle> registryProcess() {
        return registry == null ? Optional.empty() : registry.processHandle();
    }

    /** Resident memory of this JVM plus the registry's and the Kafka nodes', when the platform reports it. */
    public OptionalLong residentBytes() {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(ProcessHandle.current());
        registryProcess().ifPresent(processes::add);
        if (cluster != null) {
            processes.addAll(cluster.processes());
        }
        long total = 0;
        for (ProcessHandle process : processes) {
            OptionalLong resident = ProcessMemory.residentBytes(process.pid());
            if (resident.isEmpty()) {
                return OptionalLong.empty();
            }
            total += resident.getAsLong();
        }
        return OptionalLong.of(total);
    }

    /** Stops everything that started, newest first. Safe to call more than once and from any thread. */
    @Override
    public void close() {
        closed = true;
        List<Running> toStop = new ArrayList<>();
        synchronized (running) {
            while (!running.isEmpty()) {
                toStop.add(running.pop());
            }
        }
        if (!toStop.isEmpty()) {
            report("Stopping the dev stack...");
        }
        for (Running part : toStop) {
            try {
                part.stop().run();
            } catch (Exception e) {
                log.warn("Stopping {} failed", part.name(), e);
            }
        }
        endpoints = null;
        releaseStateDir();
        if (!toStop.isEmpty()) {
            report("Dev stack stopped.");
        }
    }

    /**
     * Runs the stack until the JVM is told to stop (Ctrl-C, SIGTERM), then stops everything. Never returns
     * normally; exits with status 1 when the stack cannot start.
     */
    public static void runUntilStopped(DevStackConfig config, List<StackComponent> components) {
        DevStack stack = new DevStack(config, components, System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "dev-stack-stop"));
        try {
            stack.start();
        } catch (Exception | Error e) {
            if (stack.closedWhileStarting) {
                // Ctrl-C during start-up: the shutdown hook is stopping what had started
                return;
            }
            log.debug("Start-up failed", e);
            System.err.println("The dev stack could not start: " + e.getMessage());
            System.exit(1);
        }
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code java io.tweetreel.devstack.DevStack [--state-dir DIR] [--kafka-port N] ...}: see
     * {@link DevStackConfig#fromEnvironment}.
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("Usage: DevStack [options]\n" + DevStackConfig.usage());
            return;
        }
        DevStackConfig config;
        try {
            config = DevStackConfig.fromEnvironment(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        runUntilStopped(config, List.of());
    }

    /**
     * Starts the parts at the same time, each on its own thread, and returns their addresses in the parts' order
     * once all are ready. When one fails, the others still starting are stopped, and its failure is thrown once all
     * have ended (the others' failures suppressed).
     */
    private List<String> startTogether(List<Part> parts) throws Exception {
        if (parts.size() == 1) {
            Part only = parts.get(0);
            return List.of(startPart(only, new Running(only.name(), only.stop())));
        }
        List<Running> entries =
                parts.stream().map(p -> new Running(p.name(), p.stop())).toList();
        String[] addresses = new String[parts.size()];
        Throwable[] failures = new Throwable[parts.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int index = i;
            Part part = parts.get(i);
            Thread thread = new Thread(
                    () -> {
                        try {
                            addresses[index] = startPart(part, entries.get(index));
                        } catch (Exception | Error e) {
                            failures[index] = e;
                            entries.stream()
                                    .filter(other -> other != entries.get(index))
                                    .forEach(this::stopIfStarting);
                        }
                    },
                    "start-" + part.name());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable first = null;
        for (Throwable failure : failures) {
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                first.addSuppressed(failure);
            }
        }
        if (first instanceof Exception e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        return List.of(addresses);
    }

    /**
     * Starts one part, registered as running before it starts so that {@link #close()} (Ctrl-C) or a sibling's
     * failure stops it even half-way.
     */
    private String startPart(Part part, Running registration) throws Exception {
        synchronized (running) {
            if (closed) {
                throw new IllegalStateException("the dev stack was stopped while starting");
            }
            running.push(registration);
        }
        long begin = System.nanoTime();
        String address;
        try {
            address = part.start().start();
        } catch (Exception | Error e) {
            if (!unregister(registration)) {
                // stopped from elsewhere (close(), or a sibling failed): that is the failure to report
                throw e;
            }
            report(String.format(
                    Locale.ROOT,
                    "%s %-10s failed after %.1f s: %s",
                    failMark,
                    part.name(),
                    seconds(begin),
                    e.getMessage()));
            // a part that failed half-way may still hold ports or a child process
            try {
                part.stop().run();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        if (!isRegistered(registration)) {
            // stopped from elsewhere while starting (close(), a sibling's failure), perhaps before it had anything
            // to stop: stop what it started since
            part.stop().run();
            throw new IllegalStateException("the dev stack was stopped while starting");
        }
        report(String.format(Locale.ROOT, "%s %-10s %s (%.1f s)", okMark, part.name(), address, seconds(begin)));
        return address;
    }

    /** A sibling failed: stop this part if it is still registered (starting or started), else close() has it. */
    private void stopIfStarting(Running part) {
        if (unregister(part)) {
            try {
                part.stop().run();
            } catch (Exception e) {
                log.warn("Stopping {} failed", part.name(), e);
            }
        }
    }

    private boolean isRegistered(Running part) {
        synchronized (running) {
            return running.stream().anyMatch(registered -> registered == part);
        }
    }

    private boolean unregister(Running part) {
        synchronized (running) {
            // by identity: two registrations may be equal records
            return running.removeIf(registered -> registered == part);
        }
    }

    /** One line to the reporter at a time: parts start on several threads. */
    private void report(String line) {
        synchronized (reporter) {
            reporter.accept(line);
        }
    }

    private void reportSummary(StackEndpoints ready) {
        StringBuilder summary = new StringBuilder(String.format(
                Locale.ROOT,
                "Dev stack ready in %.1f s, state in %s",
                startupTime.toMillis() / 1000.0,
                ready.stateDir()));
        for (Map.Entry<String, String> variable : ready.asEnvironment().entrySet()) {
            // the login holds a password: point at the file (mode 600) that has it
            String value = variable.getKey().equals("KAFKA_SASL_JAAS_CONFIG")
                    ? "(the login in " + kafkaClientProperties() + ")"
                    : variable.getValue();
            summary.append("\n  ").append(variable.getKey()).append('=').append(value);
        }
        summary.append("\n  Confluent-compatible registry API: ").append(ready.ccompatUrl());
        residentBytes()
                .ifPresent(bytes -> summary.append(String.format(
                        Locale.ROOT,
                        "%n  Memory (RSS, this JVM + registry%s): %d MiB",
                        cluster != null ? " + Kafka nodes" : "",
                        bytes / (1024 * 1024))));
        report(summary.toString());
    }

    /** Where a Kafka client of this stack (e.g. {@code kafka-console-producer.sh --producer.config}) finds its settings. */
    private Path kafkaClientProperties() {
        return config.stateDir().resolve("kafka-client.properties");
    }

    /**
     * With {@code --kafka-auth}, writes the address and the services' login as Kafka client properties (mode 600),
     * for the user's own clients; without it, removes the file of an earlier run.
     */
    private void writeKafkaClientProperties(String bootstrapServers, Map<String, String> security) throws IOException {
        if (security.isEmpty()) {
            Files.deleteIfExists(kafkaClientProperties());
            return;
        }
        Map<String, String> client = new LinkedHashMap<>(security);
        client.put("bootstrap.servers", bootstrapServers);
        KafkaScram.writePrivately(kafkaClientProperties(), client, "Kafka client settings of the dev stack");
    }

    /** Two stacks on one state directory would corrupt each other's Kafka log: refuse the second. */
    private void lockStateDir() throws IOException {
        Files.createDirectories(config.stateDir());
        Path lockFile = config.stateDir().resolve(".lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            stateLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            stateLock = null;
        }
        if (stateLock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new IllegalStateException("state directory " + config.stateDir()
                    + " is in use by another running dev stack; stop it first or use another --state-dir");
        }
    }

    private void releaseStateDir() {
        try {
            if (stateLock != null) {
                stateLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            log.debug("Could not release the state directory lock", e);
        } finally {
            stateLock = null;
            lockChannel = null;
        }
    }

    private static Charset outputCharset() {
        String stdout = System.getProperty("stdout.encoding");
        try {
            return stdout != null ? Charset.forName(stdout) : Charset.defaultCharset();
        } catch (RuntimeException unknown) {
            return Charset.defaultCharset();
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private record Part(String name, StartAction start, StopAction stop) {}

    @FunctionalInterface
    private interface StartAction {
        String start() throws Exception;
    }

    @FunctionalInterface
    private interface StopAction {
        void run() throws Exception;
    }

    private record Running(String name, StopAction stop) {}
}
