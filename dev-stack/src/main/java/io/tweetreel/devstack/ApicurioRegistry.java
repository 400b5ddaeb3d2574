package io.tweetreel.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.0 (Quarkus) in a child JVM. It stores its data in Kafka ("kafkasql" storage: a journal topic
 * on the dev stack's broker, replayed at start), so schemas and their ids survive restarts as long as the broker's
 * log does. The child's output goes to a log file; it is stopped on {@link #stop()} and, as a safety net, by a JVM
 * shutdown hook, and a child left behind by a killed parent is ended at the next start.
 *
 * <p>The server distribution is taken from system property {@code apicurio.home} or environment variable
 * {@code APICURIO_HOME} when set (and must be there); otherwise from the directory the dev-stack build unpacked it
 * to (recorded in {@code devstack.properties}), or {@code dev-stack/target/apicurio} / {@code target/apicurio} under
 * the current directory or one of its parents.
 *
 * <p>Start-up is about twice as fast with a class-data-sharing archive of the registry's classes: the first run
 * records one when it stops cleanly ({@code -XX:ArchiveClassesAtExit}), next to the distribution (or in the work
 * directory if that is read-only), and later runs load it. The JVM ignores an archive that does not fit.
 */
public final class ApicurioRegistry {

    /** Kafka topics holding the registry's data: kept forever, they are its only copy. */
    static final List<String> STORAGE_TOPICS = List.of("kafkasql-journal", "kafkasql-snapshots");

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    /**
     * A registry recording its class-data-sharing archive writes it on the way out, which took more than 15 s on a
     * loaded 2-core machine: killed at 15 s, it never left an archive, and every later start stayed slow.
     */
    private static final Duration GRACEFUL_STOP_WHILE_RECORDING = Duration.ofSeconds(90);

    private static final String PID_FILE = "registry.pid";

    private final Path home;
    private final Path workDir;
    private final Path logFile;
    private final int requestedPort;
    private final String bootstrapServers;
    private final Map<String, String> kafkaSecurity;
    private final Duration startTimeout;
    private final ChildPidFile pidFile;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // volatile, and never held under a lock while waiting, so that stop() (e.g. from Ctrl-C) can end a start
    private volatile Process process;
    private volatile Thread shutdownHook;
    private volatile int port;
    /** The archive this run is recording, moved into place once the child exits cleanly; null when reusing one. */
    private volatile Path recordingArchive;

    private volatile Path archive;

    /**
     * @param home             the unpacked registry distribution, see {@link #locateHome()}
     * @param workDir          the child's working directory; snapshots and the pid file live here
     * @param logFile          receives the child's stdout and stderr
     * @param port             HTTP port, 0 for a free one
     * @param bootstrapServers the Kafka broker to keep the registry's data on
     * @param startTimeout     how long to wait for readiness
     */
    public ApicurioRegistry(
            Path home, Path workDir, Path logFile, int port, String bootstrapServers, Duration startTimeout) {
        this(home, workDir, logFile, port, bootstrapServers, Map.of(), startTimeout);
    }

    /**
     * A registry that logs in to Kafka.
     *
     * @param kafkaSecurity Kafka client security properties ({@code security.protocol}, {@code sasl.*}); empty for
     *                      PLAINTEXT
     */
    public ApicurioRegistry(
            Path home,
            Path workDir,
            Path logFile,
            int port,
            String bootstrapServers,
            Map<String, String> kafkaSecurity,
            Duration startTimeout) {
        this.kafkaSecurity = Map.copyOf(kafkaSecurity);
        this.home = home.toAbsolutePath();
        this.workDir = workDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.requestedPort = port;
        this.bootstrapServers = bootstrapServers;
        this.startTimeout = startTimeout;
        this.pidFile = new ChildPidFile(this.workDir.resolve(PID_FILE), "registry", "apicurio");
    }

    /**
     * Starts the registry and returns its base URL ({@code http://127.0.0.1:port}) once it is ready. Call from one
     * thread; {@link #stop()} may be called from any thread meanwhile and makes this fail.
     */
    public String start() throws Exception {
        if (process != null) {
            return baseUrl();
        }
        Path runnerJar = findRunnerJar(home);
        Files.createDirectories(workDir.resolve("snapshots"));
        Files.createDirectories(workDir.resolve("tmp"));
        Files.createDirectories(logFile.getParent());
        endLeftoverChild();
        Ports.requireFree("Registry", requestedPort);
        port = Ports.resolve(requestedPort);
        prepareStorageTopics();
        writeKafkaSecurity();

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // quick start and a small footprint matter more than peak throughput here
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                // live set about 30 MiB after start-up and under the bench's load: a cap at 4x, and a heap that
                // starts small and grows to what is used (it would start at the cap, a third of it young and all
                // of that touched; the same reason as deploy/jvm/service.options)
                "-Xms32m",
                "-Xmx128m",
                // class metadata is about 67 MiB: collected first at the default 21 MiB, it cost a full collection
                // (up to 1 s on a loaded machine) during start-up
                "-XX:MetaspaceSize=96m",
                "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(classDataSharingOptions(runnerJar));
        command.addAll(List.of(
                "-Djava.io.tmpdir=" + workDir.resolve("tmp"),
                "-Dquarkus.http.host=" + Ports.LOOPBACK,
                "-Dquarkus.http.port=" + port,
                "-Dapicurio.storage.kind=kafkasql",
                "-Dapicurio.kafkasql.bootstrap.servers=" + bootstrapServers,
                "-Dapicurio.storage.snapshot.location=" + workDir.resolve("snapshots"),
                "-jar",
                runnerJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        // as for the services (ServiceProcess): fewer glibc malloc arenas than glibc's 8 per core
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", ServiceProcess.MALLOC_ARENA_MAX);
        log.debug("Starting registry: {}", String.join(" ", command));
        Process child = builder.start();
        Thread hook = new Thread(this::stop, "apicurio-registry-stop");
        synchronized (this) {
            process = child;
            shutdownHook = hook;
        }
        try {
            // throws IllegalStateException when the JVM is already exiting: then the child must go at once
            Runtime.getRuntime().addShutdownHook(hook);
            writePidFile(child.toHandle());
            awaitReady();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        return baseUrl();
    }

    public String baseUrl() {
        if (process == null) {
            throw new IllegalStateException("the registry is not running");
        }
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    /** The child process, for callers that want to check it is gone or measure it. */
    public Optional<ProcessHandle> processHandle() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    /** Stops the child: SIGTERM first, then SIGKILL after a grace period. Safe to call more than once. */
    public void stop() {
        Process child;
        Thread hook;
        synchronized (this) {
            child = process;
            hook = shutdownHook;
            process = null;
            shutdownHook = null;
        }
        if (child == null) {
            return;
        }
        boolean recording = recordingArchive != null;
        if (recording) {
            log.info("Stopping the registry; it records a class-data-sharing archive for faster starts (once)");
        }
        boolean exitedCleanly = ChildPidFile.terminate(
                child.toHandle(), "Registry", recording ? GRACEFUL_STOP_WHILE_RECORDING : GRACEFUL_STOP);
        keepRecordedArchive(exitedCleanly);
        pidFile.delete();
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting and runs the hook anyway; stop() is idempotent
            }
        }
    }

    /**
     * Where the registry distribution is: see the class comment for the search order.
     *
     * @throws IllegalStateException telling how to get it when it is nowhere
     */
    public static Path locateHome() {
        Optional<Path> explicit = Optional.ofNullable(System.getProperty("apicurio.home"))
                .or(() -> Optional.ofNullable(System.getenv("APICURIO_HOME")))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        if (explicit.isPresent()) {
            // a setting that points nowhere is a mistake to report, not a reason to quietly use another copy
            findRunnerJar(explicit.get());
            return explicit.get().toAbsolutePath().normalize();
        }
        List<Path> candidates = new ArrayList<>();
        buildTimeHome().ifPresent(candidates::add);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("dev-stack/target/apicurio"));
            candidates.add(dir.resolve("target/apicurio"));
        }
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate) && runnerJarIn(candidate).isPresent()) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Apicurio Registry distribution not found. Build it with "
                + "`mvn -pl dev-stack package -DskipTests` (unpacks it to dev-stack/target/apicurio), or point "
                + "APICURIO_HOME (or -Dapicurio.home) at an unpacked apicurio-registry-app-*-all.tar.gz. Looked in: "
                + candidates.stream().limit(4).map(Path::toString).collect(Collectors.joining(", ")) + ", ...");
    }

    static Path findRunnerJar(Path home) {
        return runnerJarIn(home)
                .orElseThrow(() -> new IllegalStateException(
                        "no apicurio-registry-app-*-runner.jar or quarkus-run.jar under " + home.toAbsolutePath()
                                + " (APICURIO_HOME / -Dapicurio.home must point at an unpacked "
                                + "apicurio-registry-app-*-all.tar.gz)"));
    }

    private static Optional<Path> runnerJarIn(Path home) {
        if (!Files.isDirectory(home)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(
                home,
                3,
                (path, attributes) -> attributes.isRegularFile()
                        && (path.getFileName().toString().matches("apicurio-registry-app-.*-runner\\.jar")
                                || path.getFileName().toString().equals("quarkus-run.jar")))) {
            return files.sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> buildTimeHome() {
        try (InputStream in = ApicurioRegistry.class.getResourceAsStream("/devstack.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            String value = properties.getProperty("apicurio.home", "");
            // an unfiltered file (running from an IDE without Maven's resources step) still holds the placeholder
            return value.isBlank() || value.contains("${") ? Optional.empty() : Optional.of(Path.of(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hands the Kafka login to the registry's kafkasql clients (producer, consumer and admin all take the
     * {@code apicurio.kafka.common.} properties) through {@code config/application.properties} in its working
     * directory, which Quarkus reads at start: on the command line the password would show in {@code ps}. Without
     * security the file is removed, so a login from an earlier {@code --kafka-auth} run does not linger.
     */
    private void writeKafkaSecurity() throws IOException {
        Path file = workDir.resolve("config").resolve("application.properties");
        if (kafkaSecurity.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Map<String, String> prefixed = new HashMap<>();
        kafkaSecurity.forEach((property, value) -> prefixed.put("apicurio.kafka.common." + property, value));
        KafkaScram.writePrivately(
                file, prefixed, "written by the dev stack at every start: the registry's Kafka login");
    }

    /**
     * Creates the registry's storage topics with unlimited retention before it starts; left to itself it would
     * create them with the broker's default retention (7 days), after which every schema would be lost.
     */
    private void prepareStorageTopics() throws InterruptedException, ExecutionException {
        Map<String, Object> adminConfig = new HashMap<>(kafkaSecurity);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Map<String, String> keepForever =
                Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");
        try (Admin admin = Admin.create(adminConfig)) {
            Collection<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = STORAGE_TOPICS.stream()
                    .filter(topic -> !existing.contains(topic))
                    // replicated as far as the broker's default says: once on one broker, on all three of a cluster
                    .map(topic -> new NewTopic(topic, Optional.of(1), Optional.empty()).configs(keepForever))
                    .toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            // topics made by an older setup (or by the registry itself) get the same retention
            Map<ConfigResource, Collection<AlterConfigOp>> retention = STORAGE_TOPICS.stream()
                    .collect(Collectors.toMap(
                            topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            topic -> keepForever.entrySet().stream()
                                    .map(entry -> new AlterConfigOp(
                                            new ConfigEntry(entry.getKey(), entry.getValue()),
                                            AlterConfigOp.OpType.SET))
                                    .toList()));
            admin.incrementalAlterConfigs(retention).all().get();
        }
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(startTimeout);
        URI ready = URI.create(baseUrl() + "/health/ready");
        URI subjects = URI.create(baseUrl() + "/apis/ccompat/v7/subjects");
        while (true) {
            Process child = process;
            if (child == null) {
                throw new IllegalStateException("the registry was stopped while starting");
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the registry exited with code " + child.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + LogFiles.tail(logFile, 30));
            }
            if (status(ready) == 200 && status(subjects) == 200) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the registry was not ready within " + startTimeout.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + LogFiles.tail(logFile, 30));
            }
            Thread.sleep(200);
        }
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (ConnectException notListeningYet) {
            return -1;
        } catch (IOException e) {
            log.debug("Registry readiness probe failed", e);
            return -1;
        }
    }

    /** Records the child so that a later start can end it if this JVM dies without stopping it (kill -9). */
    void writePidFile(ProcessHandle child) throws IOException {
        pidFile.write(child);
    }

    /** Ends a registry left running by an earlier dev stack that was killed before it could stop it. */
    void endLeftoverChild() throws IOException {
        pidFile.endLeftover(GRACEFUL_STOP);
    }

    /**
     * Options to load the class-data-sharing archive, or to record one at exit when there is none yet. The archive
     * name carries the JVM build and the distribution's timestamp, since an archive only fits the JVM and jars it
     * was made with.
     */
    private List<String> classDataSharingOptions(Path runnerJar) throws IOException {
        String name = ("registry-" + System.getProperty("java.vm.version") + "-"
                                + Files.getLastModifiedTime(runnerJar).toMillis())
                        .replaceAll("[^A-Za-z0-9._-]", "_")
                + ".jsa";
        Path dir = Files.isWritable(home) ? home.resolve("cds") : workDir.resolve("cds");
        Files.createDirectories(dir);
        archive = dir.resolve(name);
        if (Files.isRegularFile(archive)) {
            recordingArchive = null;
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        // a private file name, so that two stacks recording at once cannot write into the same file
        recordingArchive = dir.resolve(name + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        return List.of("-XX:ArchiveClassesAtExit=" + recordingArchive);
    }

    /** Moves a freshly recorded archive into place, unless the child was killed (it may be half-written). */
    private void keepRecordedArchive(boolean exitedCleanly) {
        Path recorded = recordingArchive;
        recordingArchive = null;
        if (recorded == null) {
            return;
        }
        try {
            if (exitedCleanly && Files.size(recorded) > 0) {
                // atomic rename: a registry starting meanwhile sees the old archive or the new one, never half
                Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE);
                log.debug("Recorded the registry's class-data-sharing archive {}", archive);
            } else {
                Files.deleteIfExists(recorded);
            }
        } catch (NoSuchFileException notRecorded) {
            // the JVM could not record one (e.g. no base archive); starts stay a bit slower
        } catch (IOException e) {
            log.debug("Keeping no class-data-sharing archive from this run", e);
            try {
                Files.deleteIfExists(recorded);
            } catch (IOException ignored) {
                // a stray temp file in the archive directory is harmless
            }
        }
    }
}
