package io.tweetreel.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three Kafka nodes in KRaft combined mode (broker and controller, static voters 1, 2, 3), each a {@link KafkaNode}
 * in a child JVM of its own, so one can be killed (SIGKILL) while the others carry on: every topic is on all three
 * and takes {@code acks=all} writes while two are in sync (see {@link EmbeddedKafka}). Node N keeps its log in
 * {@code kafka-N} under the state directory (kept across restarts) and its output in {@code logs/kafka-N.log}.
 * The nodes are stopped by {@link #stop()}, by a shutdown hook of this JVM, and by themselves when this JVM ends
 * anyway; one left behind all the same is ended at the next start.
 */
public final class KafkaCluster {

    /** Node ids 1..NODES. */
    public static final int NODES = 3;

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** A node's controlled shutdown is quick while the others run; the last one cannot hand anything over. */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    private static final String MAIN_CLASS = KafkaNode.class.getName();
    /**
     * The first option of a node's command line, naming the node: the JDK reads only the start of a long command
     * line, and the class path comes before the main class.
     */
    static final String NODE_MARKER = "-Dtweetreel.kafka.node=";

    private final Path stateDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    /** The client port of each node by node id, fixed at the first start; then its controller port. */
    private final SortedMap<Integer, Integer> ports = new TreeMap<>();

    private final SortedMap<Integer, Integer> controllerPorts = new TreeMap<>();
    private final Map<Integer, Process> processes = new HashMap<>();
    private volatile Thread shutdownHook;
    private String clusterId;

    /**
     * @param stateDir       the stack's state directory: logs in {@code kafka-N}, output in {@code logs/kafka-N.log}
     * @param port           node 1's client port, node N's is {@code port + 2(N-1)}; 0 for free ones
     * @param controllerPort node 1's controller port, node N's is {@code controllerPort + 2(N-1)}; 0 for free ones
     */
    public KafkaCluster(Path stateDir, int port, int controllerPort) {
        this.stateDir = stateDir.toAbsolutePath();
        this.requestedPort = port;
        this.requestedControllerPort = controllerPort;
    }

    /** Starts the three nodes at once and returns their addresses once every one is a live broker. */
    public String start() throws Exception {
        synchronized (this) {
            if (!processes.isEmpty()) {
                return bootstrapServers();
            }
            if (ports.isEmpty()) {
                for (int node = 1; node <= NODES; node++) {
                    int offset = 2 * (node - 1);
                    int port = requestedPort == 0 ? 0 : requestedPort + offset;
                    int controllerPort = requestedControllerPort == 0 ? 0 : requestedControllerPort + offset;
                    Ports.requireFree("Kafka node " + node, port);
                    Ports.requireFree("Kafka node " + node + " controller", controllerPort);
                    ports.put(node, Ports.resolve(port));
                    controllerPorts.put(node, Ports.resolve(controllerPort));
                }
            }
            clusterId = existingClusterId().orElseGet(() -> Uuid.randomUuid().toString());
            Thread hook = new Thread(this::stop, "kafka-cluster-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }
        try {
            for (int node = 1; node <= NODES; node++) {
                launch(node);
            }
            for (int node = 1; node <= NODES; node++) {
                awaitReady(node);
            }
            awaitBrokers(NODES);
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        return bootstrapServers();
    }

    /** Every node's client address, comma-separated: what clients bootstrap from. */
    public synchronized String bootstrapServers() {
        return ports.values().stream().map(p -> Ports.LOOPBACK + ":" + p).collect(Collectors.joining(","));
    }

    /** Stops every node (SIGTERM, all at once, then SIGKILL after a grace period). Safe to call more than once. */
    public void stop() {
        Map<Integer, Process> running;
        Thread hook;
        synchronized (this) {
            running = new HashMap<>(processes);
            processes.clear();
            hook = shutdownHook;
            shutdownHook = null;
        }
        running.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + GRACEFUL_STOP.toNanos();
        running.forEach((node, process) -> {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("Kafka node {} did not stop within {} s, killing it", node, GRACEFUL_STOP.toSeconds());
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            pidFile(node).delete();
        });
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting and runs the hook anyway; stop() is idempotent
            }
        }
    }

    /** Kills node {@code nodeId} with SIGKILL, a crash, and returns once its process is gone. */
    public void kill(int nodeId) throws Exception {
        Process process;
        synchronized (this) {
            process = processes.remove(checkNode(nodeId));
        }
        if (process == null) {
            throw new IllegalStateException("Kafka node " + nodeId + " is not running");
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka node " + nodeId + " (pid " + process.pid() + ") survived SIGKILL");
        }
        pidFile(nodeId).delete();
        log.info("Kafka node {} killed (pid {})", nodeId, process.pid());
    }

    /** Starts node {@code nodeId} again, on its ports and with its log, and returns once it serves clients. */
    public void restart(int nodeId) throws Exception {
        synchronized (this) {
            if (processes.containsKey(checkNode(nodeId))) {
                throw new IllegalStateException("Kafka node " + nodeId + " is running");
            }
            if (shutdownHook == null) {
                throw new IllegalStateException("the cluster is not running");
            }
        }
        launch(nodeId);
        awaitReady(nodeId);
    }

    /** The ids of the brokers the cluster counts as live (registered and not fenced). */
    public Set<Integer> liveBrokerIds() throws Exception {
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            return admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) ADMIN_TIMEOUT.toMillis()))
                    .nodes()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream()
                    .map(Node::id)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The node processes running now, for callers that measure them. */
    public synchronized List<ProcessHandle> processes() {
        return processes.values().stream().map(Process::toHandle).toList();
    }

    private void launch(int nodeId) throws IOException {
        Path logDir = stateDir.resolve("kafka-" + nodeId);
        Path logFile = logFile(nodeId);
        Path readyFile = stateDir.resolve("run").resolve("kafka-" + nodeId + ".ready");
        Files.createDirectories(logDir);
        Files.createDirectories(logFile.getParent());
        Files.createDirectories(readyFile.getParent());
        Files.deleteIfExists(readyFile);
        pidFile(nodeId).endLeftover(GRACEFUL_STOP);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                NODE_MARKER + nodeId,
                // a quick start and a small footprint: a dev cluster's brokers carry little load
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                // grows to what is used (see deploy/jvm/service.options), not the cap from the start
                "-Xms32m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                classPath(),
                MAIN_CLASS,
                String.valueOf(nodeId),
                logDir.toString(),
                String.valueOf(ports.get(nodeId)),
                clusterId,
                readyFile.toString(),
                controllerPorts.entrySet().stream()
                        .map(voter -> voter.getKey() + "=" + voter.getValue())
                        .collect(Collectors.joining(","))));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // as for the services (ServiceProcess): fewer glibc malloc arenas than glibc's 8 per core
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", ServiceProcess.MALLOC_ARENA_MAX);
        Process process = builder.start();
        synchronized (this) {
            processes.put(nodeId, process);
        }
        pidFile(nodeId).write(process.toHandle());
    }

    private void awaitReady(int nodeId) throws Exception {
        Path readyFile = stateDir.resolve("run").resolve("kafka-" + nodeId + ".ready");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(readyFile)) {
            Process process;
            synchronized (this) {
                process = processes.get(nodeId);
            }
            if (process == null) {
                throw new IllegalStateException("Kafka node " + nodeId + " was stopped while starting");
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka node " + nodeId + " exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile(nodeId) + ":\n"
                        + LogFiles.tail(logFile(nodeId), 30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka node " + nodeId + " was not ready within "
                        + START_TIMEOUT.toSeconds() + " s; last lines of " + logFile(nodeId) + ":\n"
                        + LogFiles.tail(logFile(nodeId), 30));
            }
            Thread.sleep(100);
        }
    }

    /** Each node is ready once it serves clients; wait until all of them have registered with the controller too. */
    private void awaitBrokers(int count) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Set<Integer> live = liveBrokerIds();
        while (live.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only Kafka brokers " + live + " of " + count + " are live after "
                        + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(200);
            live = liveBrokerIds();
        }
    }

    /** The cluster id the nodes' log directories were formatted with, if one was. */
    private Optional<String> existingClusterId() throws IOException {
        for (int node = 1; node <= NODES; node++) {
            Path meta = stateDir.resolve("kafka-" + node).resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
            if (Files.isRegularFile(meta)) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(meta)) {
                    properties.load(in);
                }
                String id = properties.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    private Path logFile(int nodeId) {
        return stateDir.resolve("logs").resolve("kafka-" + nodeId + ".log");
    }

    private ChildPidFile pidFile(int nodeId) {
        return new ChildPidFile(
                stateDir.resolve("run").resolve("kafka-" + nodeId + ".pid"),
                "Kafka node " + nodeId,
                NODE_MARKER + nodeId);
    }

    private static int checkNode(int nodeId) {
        if (nodeId < 1 || nodeId > NODES) {
            throw new IllegalArgumentException("Kafka nodes are numbered 1 to " + NODES + ", not " + nodeId);
        }
        return nodeId;
    }

    /**
     * The dev stack's own class path for the nodes: its classes (a directory or a jar in the module's
     * {@code target}) and the runtime dependencies the build lists in {@code target/classpath.txt} next to them, so
     * a node does not carry a test's class path; this JVM's class path where that list is not there.
     */
    static String classPath() {
        try {
            Path own = Path.of(KafkaCluster.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path dependencies = own.getParent().resolve("classpath.txt");
            if (Files.isRegularFile(dependencies)) {
                return own + File.pathSeparator + Files.readString(dependencies).trim();
            }
        } catch (URISyntaxException | IOException | RuntimeException e) {
            log.debug("Using this JVM's class path for the Kafka nodes", e);
        }
        return System.getProperty("java.class.path");
    }
}
