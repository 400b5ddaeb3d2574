package io.tweetreel.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline service running as a child JVM, configured only by environment variables, exactly as in
 * production. Ready when its {@code /health/ready} answers 200; stopped with SIGTERM (graceful), then killed
 * with its children (Chromium, ffmpeg) if it does not exit in time.
 */
public final class ServiceProcess implements StackComponent {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    /** glibc malloc arenas per process unless the environment says otherwise; see {@link #start}. */
    static final String MALLOC_ARENA_MAX = "2";

    private final ServiceModule module;
    private final String name;
    private final int port;
    private final Path repoRoot;
    private final Map<String, String> extraEnv;
    /** Words before the {@code java} command, e.g. {@code ip netns exec NAME}; empty to run it directly. */
    private final List<String> launcher;
    /** Written by the thread that starts it, read by the one that stops the stack (perhaps while it starts). */
    private volatile Process process;
    /** The class-data archive the running process uses or records; set before {@link #process}. */
    private volatile Optional<ClassDataArchive> archive = Optional.empty();

    private volatile Path logFile;

    public ServiceProcess(ServiceModule module, int instance, int port, Path repoRoot, Map<String, String> extraEnv) {
        this(module, instance, port, repoRoot, extraEnv, List.of());
    }

    /**
     * A service started through a launcher that ends by executing its command in its own process, such as
     * {@code ip netns exec NAME} (a network namespace, for the network fault tests), so the process started is the
     * service's JVM.
     */
    public ServiceProcess(
            ServiceModule module,
            int instance,
            int port,
            Path repoRoot,
            Map<String, String> extraEnv,
            List<String> launcher) {
        this.launcher = List.copyOf(launcher);
        this.module = module;
        this.name = instance == 0 ? module.shortName() : module.shortName() + "-" + (instance + 1);
        this.port = port;
        this.repoRoot = repoRoot;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    @Override
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Optional<ProcessHandle> handle() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public String start(StackEndpoints endpoints) throws Exception {
        Path stateDir = endpoints.stateDir().resolve("services").resolve(name);
        Files.createDirectories(stateDir);
        logFile = endpoints.stateDir().resolve("logs").resolve(name + ".log");
        Files.createDirectories(logFile.getParent());

        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(module.jvmOptionFiles(repoRoot));
        String classPath = module.classPath(repoRoot);
        Optional<ClassDataArchive> classData = classDataSharing()
                ? ClassDataArchive.in(module.buildDir(repoRoot).resolve("cds"), module.shortName(), classPath)
                : Optional.empty();
        classData.ifPresent(archive -> command.add(archive.jvmOption()));
        command.addAll(List.of("-cp", classPath, module.mainClass()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // starts as a copy of this JVM's environment: a variable a service reads that the stack does not set
        // below (e.g. WEBHOOK_RETRY_SCHEDULE, LOG_LEVEL) reaches the service as the user set it
        Map<String, String> env = builder.environment();
        // glibc's default allows 8 malloc arenas per core, and a JVM's many threads each keep native memory in
        // arenas of their own; 2 is the usual setting for JVMs. The image's entry point sets the same default.
        env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX);
        env.putAll(endpoints.asEnvironment());
        env.put(module == ServiceModule.GATEWAY ? "GATEWAY_PORT" : "OPS_PORT", Integer.toString(port));
        env.put("STATE_DIR", stateDir.toString());
        env.put("INSTANCE_ID", name);
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        env.putAll(extraEnv);
        archive = classData;
        process = builder.start();
        // however it ends (stop, SIGTERM from a test, a crash); stop() also keeps it before the stack's JVM exits
        classData.ifPresent(recorded ->
                process.onExit().thenAccept(exited -> recorded.keepRecording(exitedByItself(exited.exitValue()))));
        awaitReady();
        return "http://127.0.0.1:" + port + " (pid " + process.pid() + ", log " + logFile + ")";
    }

    private void awaitReady() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with status " + process.exitValue() + ": " + lastLines(8));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT.toSeconds() + " s: " + lastLines(8));
    }

    private String lastLines(int n) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM: the service finishes its jobs in hand and exits. */
    public void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** SIGKILL, children included: a crash. */
    public void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Override
    public void stop() throws Exception {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!process.isAlive()) {
            int exitValue = process.exitValue();
            archive.ifPresent(recorded -> recorded.keepRecording(exitedByItself(exitValue)));
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Not ended by a signal other than SIGTERM (after which the JVM exits through its shutdown hooks). */
    private static boolean exitedByItself(int exitValue) {
        return exitValue < 128 || exitValue == 128 + 15;
    }

    /**
     * The environment of the stack's services that do not come from {@link StackEndpoints}. The gateway runs
     * without API keys ({@code API_AUTH=none}, its own default being {@code keys}): a local stack and the tests
     * that do not test keys use it as they did before keys existed; {@code tweetreel up --auth} and the tests of
     * keys set {@code API_AUTH=keys} over it.
     */
    public static Map<String, String> sharedEnvironment(String filenameSecret, String baseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FILENAME_SECRET", filenameSecret);
        env.put("BASE_URL", baseUrl);
        env.put("API_AUTH", "none");
        return env;
    }

    /**
     * Class-data sharing pays off over many starts of one build ({@code up}, restarts, the bench). A test run starts
     * many short-lived stacks, nearly each of which would record archives at its stop (tens of seconds of CPU on 2
     * cores) for starts that never come, so the build's tests set {@code TWEETREEL_CDS=off}.
     */
    static boolean classDataSharing() {
        return !"off".equalsIgnoreCase(System.getenv().getOrDefault("TWEETREEL_CDS", "auto"));
    }
}
