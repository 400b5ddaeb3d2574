package io.tweetreel.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pipeline services as the dev stack launches them: a module of this repository, its main class and
 * default port. Each is started from its own build output ({@code target/classes} plus the runtime class path
 * the build writes to {@code target/classpath.txt}), the same code docker-compose runs, so the dev stack does
 * not depend on the services and their tests can use the dev stack.
 */
public enum ServiceModule {
    RENDERER("renderer", "renderer-service", "io.tweetreel.renderer.RendererService", 3101),
    COMPOSER("composer", "composer-service", "io.tweetreel.composer.ComposerService", 3102),
    STORAGE("storage", "storage-service", "io.tweetreel.storage.StorageService", 3103),
    NOTIFIER("notifier", "notifier-service", "io.tweetreel.notifier.NotifierService", 3104),
    GATEWAY("gateway", "api-gateway", "io.tweetreel.gateway.GatewayService", 3000);

    /** Where the services' JVM options live, relative to the repository root (see {@link #jvmOptionFiles}). */
    static final String JVM_OPTIONS_DIR = "deploy/jvm";

    static final String SHARED_JVM_OPTIONS = "service.options";

    private final String shortName;
    private final String module;
    private final String mainClass;
    private final int defaultPort;

    ServiceModule(String shortName, String module, String mainClass, int defaultPort) {
        this.shortName = shortName;
        this.module = module;
        this.mainClass = mainClass;
        this.defaultPort = defaultPort;
    }

    public String shortName() {
        return shortName;
    }

    public String mainClass() {
        return mainClass;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The module's build output directory under {@code repoRoot} ({@code target}). */
    public Path buildDir(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target");
    }

    /**
     * The class path of the built module under {@code repoRoot}; fails clearly when it was not built. The module's own
     * classes come from its jar when the build packaged one after their last change (so the whole class path is jars,
     * which class-data sharing needs, see {@link ClassDataArchive}), else from {@code target/classes}.
     */
    public String classPath(Path repoRoot) {
        Path target = buildDir(repoRoot);
        Path classes = target.resolve("classes");
        Path deps = target.resolve("classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(deps)) {
            throw new IllegalStateException(module + " is not built (no " + deps + "); run ./mvnw install -DskipTests");
        }
        try {
            Path own = packagedJar(target, classes).orElse(classes);
            return own + java.io.File.pathSeparator + Files.readString(deps).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module's jar in {@code target}, if it is at least as new as every file under {@code classes}. */
    private Optional<Path> packagedJar(Path target, Path classes) throws IOException {
        Optional<Path> jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(
                            f -> f.getFileName().toString().matches(Pattern.quote(module) + "-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst();
        }
        if (jar.isEmpty()) {
            return jar;
        }
        FileTime packaged = Files.getLastModifiedTime(jar.get());
        try (Stream<Path> compiled = Files.walk(classes)) {
            boolean newer = compiled.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(packaged) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
            return newer ? Optional.empty() : jar;
        }
    }

    /**
     * The JVM options of this service as argument files for the {@code java} launcher ({@code @file}): the ones every
     * service shares, then the service's own (heap and other caps sized from its measured footprint). The same files
     * are copied into the service's image and read by its entry point, so the dev stack, the tests and the containers
     * run each service with the same options.
     */
    public List<String> jvmOptionFiles(Path repoRoot) {
        Path dir = repoRoot.resolve(JVM_OPTIONS_DIR);
        List<String> files = new ArrayList<>();
        for (Path file : List.of(dir.resolve(SHARED_JVM_OPTIONS), dir.resolve(module + ".options"))) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("JVM options of " + module + " missing: no " + file);
            }
            files.add("@" + file);
        }
        return files;
    }

    /** The repository root: {@code TWEETREEL_HOME}, else the nearest directory above the working one with this layout. */
    public static Path repoRoot() {
        String home = System.getenv("TWEETREEL_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("dev-stack"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the tweet-reel repository; set TWEETREEL_HOME");
    }
}
