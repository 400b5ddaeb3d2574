package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.ConfigVariable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * No Docker engine runs where this project is built, so nothing else would notice when {@code docker-compose.yml},
 * the {@code Dockerfile} of the service images or {@code deploy/} stop matching the code. This test reads them next
 * to the sources (no Docker, no network, no stack), the Dockerfile once per service with the build arguments compose
 * passes for it, and checks:
 * <ul>
 *   <li>every environment variable set for a service (compose {@code environment}, Dockerfile {@code ENV}) is one
 *       that service reads: one its config record declares ({@link ServiceConfigs#DECLARED}, the
 *       {@code ConfigVariable} lists the configs read through), one the image's entry-point script reads, or one a
 *       library on its class path reads; and every variable it declares required is set, from the host
 *       environment ({@code ${VAR:?...}}), never as a literal;</li>
 *   <li>every build argument compose passes is declared by the Dockerfile, and every one without a default is
 *       passed; every {@code COPY} source (and every bind-mounted file in compose) exists and is not excluded by
 *       {@code .dockerignore}; the build stage builds the service with {@code -Dimage -pl <module> -am} and copies
 *       the {@code pom.xml} of every module that build reads and the sources of every module it builds; the main
 *       class exists;</li>
 *   <li>ports: the gateway's published and container port, the stages' ops ports in health checks and
 *       {@code EXPOSE}, against the declared defaults; stages have no host ports or container names (so
 *       {@code --scale} works);</li>
 *   <li>topics: every {@code videos.*} name in compose, Dockerfiles and {@code deploy/} is in {@code Topics.ALL};
 *       each KEDA ScaledObject watches its stage's input topic with its Kafka Streams application id as consumer
 *       group, and caps replicas at the partitions the services create;</li>
 *   <li>the rest of the wiring: Kafka and registry image versions against the ones the project builds and tests
 *       with, the MinIO init's buckets against the services' buckets, the hosts the services are pointed at.</li>
 * </ul>
 * The second test proves it bites: it renames a variable in a copy of the declarations and expects the check to
 * fail; the parameterized ones do the same for each kind of drift, in the declarations or in an in-memory copy
 * of the files.
 */
class DeploymentDriftTest {

    @Test
    void deploymentFilesMatchTheCode() {
        List<String> problems = new DriftCheck(Sources.at(repositoryRoot())).problems();

        assertThat(problems)
                .as("deployment drift:%n  %s", String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void aVariableRenamedInTheCodeOnlyFailsTheCheck() {
        Map<String, List<ConfigVariable>> renamed = renamed(ServiceConfigs.DECLARED, "FILENAME_SECRET", "FILENAME_KEY");

        List<String> problems = new DriftCheck(Sources.at(repositoryRoot()), renamed).problems();

        System.out.println("FILENAME_SECRET renamed to FILENAME_KEY in StorageConfig.java only:\n  "
                + String.join("\n  ", problems));
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "storage-service: docker-compose.yml sets FILENAME_SECRET, which storage-service does not read",
                        "storage-service: the code requires FILENAME_KEY, which docker-compose.yml does not set");
    }

    static Stream<Arguments> drifts() {
        return Stream.of(
                drift(
                        "a required secret written into the compose file",
                        "docker-compose.yml",
                        "\"${FILENAME_SECRET:?",
                        "\"not-a-secret-at-all${FILENAME_SECRET:?",
                        "storage-service: FILENAME_SECRET is required: docker-compose.yml must take it from the host"
                                + " environment as ${FILENAME_SECRET:?message}, not as a literal"),
                drift(
                        "a COPY of a file that does not exist",
                        "Dockerfile",
                        "COPY .mvn/ .mvn/",
                        "COPY .mvn/ .mvn/\nCOPY composer-service/tools-x/ tools/",
                        "COPY source composer-service/tools-x/ does not exist"),
                drift(
                        "a COPY source excluded by .dockerignore",
                        ".dockerignore",
                        ".git\n",
                        ".git\nmvnw\n",
                        "COPY source mvnw is excluded by .dockerignore"),
                drift(
                        "a new reactor module the Dockerfile does not know",
                        "pom.xml",
                        "<module>api-gateway</module>",
                        "<module>api-gateway</module>\n    <module>webhooks</module>",
                        "Dockerfile: the build stage does not copy webhooks/pom.xml"),
                drift(
                        "a new module dependency of a service",
                        "renderer-service/pom.xml",
                        "<artifactId>jmustache</artifactId></dependency>",
                        "<artifactId>jmustache</artifactId></dependency>\n    <dependency><groupId>io.tweetreel</groupId>"
                                + "<artifactId>bench</artifactId><scope>test</scope></dependency>",
                        "Dockerfile, built for renderer-service: the build stage does not copy bench/src/"),
                drift(
                        "an image built with another module",
                        "docker-compose.yml",
                        "SERVICE: composer-service",
                        "SERVICE: storage-service",
                        "composer-service: docker-compose.yml builds it with SERVICE=storage-service"),
                drift(
                        "a build argument the Dockerfile does not declare",
                        "docker-compose.yml",
                        "APT_PACKAGES: ffmpeg",
                        "APT_PACKAGE: ffmpeg",
                        "composer-service: docker-compose.yml passes build argument APT_PACKAGE, which Dockerfile does"
                                + " not declare"),
                drift(
                        "a build argument the Dockerfile needs and compose does not pass",
                        "docker-compose.yml",
                        "        MAIN_CLASS: io.tweetreel.storage.StorageService\n",
                        "",
                        "storage-service: Dockerfile declares ARG MAIN_CLASS without a default, and docker-compose.yml"
                                + " passes none"),
                drift(
                        "an image build that builds the whole reactor",
                        "Dockerfile",
                        "sh ./mvnw -B -q -Dimage",
                        "sh ./mvnw -B -q",
                        "Dockerfile, built for api-gateway: no RUN builds the module with -Dimage -pl api-gateway"),
                drift(
                        "an exposed port that is not the service's",
                        "docker-compose.yml",
                        "PORT: \"3102\"",
                        "PORT: \"3202\"",
                        "composer-service: Dockerfile EXPOSEs [3202], but composer-service listens on 3102"),
                drift(
                        "a topic renamed in the code",
                        "schemas/src/main/java/io/tweetreel/schemas/Topics.java",
                        "\"videos.screenshot\"",
                        "\"videos.screenshots\"",
                        "deploy/keda/composer-service.yaml names topic videos.screenshot, which is not in Topics.ALL"),
                drift(
                        "a stage renamed (its consumer group)",
                        "composer-service/src/main/java/io/tweetreel/composer/ComposerTopology.java",
                        "\"composer\",\n                topics.screenshot()",
                        "\"compose\",\n                topics.screenshot()",
                        "deploy/keda/composer-service.yaml: consumerGroup tweetreel-composer, but composer-service's"
                                + " Kafka Streams application id is tweetreel-compose"),
                drift(
                        "partitions changed in compose only",
                        "docker-compose.yml",
                        "${TOPIC_PARTITIONS:-6}",
                        "${TOPIC_PARTITIONS:-12}",
                        "deploy/keda/renderer-service.yaml: maxReplicaCount 6, but the topics get 12 partitions"),
                drift(
                        "a main class renamed",
                        "docker-compose.yml",
                        "MAIN_CLASS: io.tweetreel.storage.StorageService",
                        "MAIN_CLASS: io.tweetreel.storage.StorageApp",
                        "Dockerfile, built for storage-service: main class io.tweetreel.storage.StorageApp"),
                drift(
                        "the Kafka version moved on",
                        "pom.xml",
                        "<kafka.version>4.3.1</kafka.version>",
                        "<kafka.version>4.4.0</kafka.version>",
                        "docker-compose.yml: kafka runs apache/kafka:4.3.1, but the project builds and tests with"
                                + " Kafka 4.4.0"),
                drift(
                        "a service pointed at a host that does not exist",
                        "docker-compose.yml",
                        "S3_ENDPOINT: http://minio:9000\n  S3_ACCESS_KEY",
                        "S3_ENDPOINT: http://mino:9000\n  S3_ACCESS_KEY",
                        "renderer-service: S3_ENDPOINT points at host mino, which is not a service of docker-compose.yml"));
    }

    private static Arguments drift(String name, String file, String from, String to, String expected) {
        return Arguments.of(name, file, from, to, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void eachKindOfDriftFailsTheCheck(String name, String file, String from, String to, String expected) {
        List<String> problems = new DriftCheck(Sources.at(repositoryRoot()).with(file, from, to)).problems();

        assertThat(problems)
                .as("after %s", name)
                .anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    static Stream<Arguments> declarationDrifts() {
        Map<String, List<ConfigVariable>> declared = ServiceConfigs.DECLARED;
        return Stream.of(
                Arguments.of(
                        "a shared variable renamed in pipeline-core",
                        renamed(declared, "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BROKERS"),
                        "api-gateway: docker-compose.yml sets KAFKA_BOOTSTRAP_SERVERS, which api-gateway does not"
                                + " read"),
                Arguments.of(
                        "a variable set by the Dockerfile renamed in the code",
                        renamed(declared, "STATE_DIR", "STATE_DIRECTORY"),
                        "renderer-service: Dockerfile sets STATE_DIR, which renderer-service does not read"),
                Arguments.of(
                        "the gateway's default port changed in the code",
                        redefaulted(declared, "api-gateway", "GATEWAY_PORT", "8080"),
                        "api-gateway: listens on 8080 (GATEWAY_PORT), but docker-compose.yml publishes 3000:3000"),
                Arguments.of(
                        "a stage's ops port changed in the code",
                        redefaulted(declared, "composer-service", "OPS_PORT", "3202"),
                        "composer-service: the health check asks port 3102, but the service listens on 3202"
                                + " (OPS_PORT)"),
                Arguments.of(
                        "a bucket renamed in the code",
                        redefaulted(declared, "storage-service", "S3_VIDEOS_BUCKET", "tweetreel-reels"),
                        "minio-init creates bucket tweetreel-videos, but storage-service uses tweetreel-reels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declarationDrifts")
    void eachKindOfDeclarationDriftFailsTheCheck(
            String name, Map<String, List<ConfigVariable>> declared, String expected) {
        List<String> problems = new DriftCheck(Sources.at(repositoryRoot()), declared).problems();

        assertThat(problems)
                .as("after %s", name)
                .anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    /** The declarations with {@code from} renamed to {@code to} wherever it is declared. */
    private static Map<String, List<ConfigVariable>> renamed(
            Map<String, List<ConfigVariable>> declared, String from, String to) {
        Map<String, List<ConfigVariable>> copy = new LinkedHashMap<>();
        declared.forEach((service, variables) -> copy.put(
                service,
                variables.stream()
                        .map(v -> v.name().equals(from)
                                ? new ConfigVariable(
                                        to, v.required(), v.defaultValue(), v.defaultText(), v.description())
                                : v)
                        .toList()));
        return copy;
    }

    /** The declarations with one service's default of {@code name} changed. */
    private static Map<String, List<ConfigVariable>> redefaulted(
            Map<String, List<ConfigVariable>> declared, String service, String name, String value) {
        Map<String, List<ConfigVariable>> copy = new LinkedHashMap<>(declared);
        copy.put(
                service,
                declared.get(service).stream()
                        .map(v -> v.name().equals(name) ? v.defaultingTo(value) : v)
                        .toList());
        return copy;
    }

    /** The repository: the nearest directory above the working one with the root pom and docker-compose.yml. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("pipeline-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with docker-compose.yml above "
                + Path.of("").toAbsolutePath());
    }

    /** The repository's files as read from disk, some of them replaced in memory. */
    static final class Sources {
        private final Path root;
        private final Map<String, String> replaced;

        private Sources(Path root, Map<String, String> replaced) {
            this.root = root;
            this.replaced = replaced;
        }

        static Sources at(Path root) {
            return new Sources(root, Map.of());
        }

        /** A copy in which {@code file} has {@code from} replaced by {@code to}, which must be there. */
        Sources with(String file, String from, String to) {
            String text = read(file);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " no longer contains " + from + ": update the test");
            }
            Map<String, String> copy = new HashMap<>(replaced);
            copy.put(file, text.replace(from, to));
            return new Sources(root, copy);
        }

        String read(String file) {
            String text = replaced.get(file);
            if (text != null) {
                return text;
            }
            try {
                return Files.readString(root.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean exists(String path) {
            return replaced.containsKey(path) || Files.exists(root.resolve(path));
        }

        /** Files under {@code dir} whose name ends with {@code suffix}, as repository paths, build output skipped. */
        List<String> files(String dir, String suffix) {
            Path start = root.resolve(dir);
            if (!Files.isDirectory(start)) {
                return List.of();
            }
            try (Stream<Path> walk = Files.walk(start)) {
                return walk.filter(Files::isRegularFile)
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> p.endsWith(suffix) && !p.contains("/target/"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs every check over one {@link Sources} and collects what does not match. */
    static final class DriftCheck {
        /** The services built from this repository: module = compose service = image, and the port they serve. */
        static final Map<String, String> SERVICES = linked(
                "renderer-service", "OPS_PORT",
                "composer-service", "OPS_PORT",
                "storage-service", "OPS_PORT",
                "notifier-service", "OPS_PORT",
                "api-gateway", "GATEWAY_PORT");
        /** The stages KEDA scales on the lag of their input topic. */
        static final Set<String> STAGES = Set.of("renderer-service", "composer-service", "storage-service");
        /** Services scaled by adding instances (--scale): no host ports, no container names. */
        static final Set<String> SCALED_BY_INSTANCES =
                Set.of("renderer-service", "composer-service", "storage-service", "notifier-service");
        /** Variables read by a library, not by this project's code: they count when the artifact is on the class path. */
        static final Map<String, String> LIBRARY_VARIABLES = Map.of(
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "playwright"); // never download browsers: Debian's Chromium is used

        static final List<String> ENDPOINT_VARIABLES =
                List.of("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "S3_ENDPOINT");
        static final String COMPOSE = "docker-compose.yml";
        /** The one Dockerfile of the service images, at the root of the build context. */
        static final String DOCKERFILE = "Dockerfile";

        private static final Pattern CONSTANT = Pattern.compile(
                "static\\s+final\\s+(?:String|int|long|short)\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+)\\s*;");
        private static final Pattern PLACEHOLDER =
                Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
        private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");
        private static final Pattern TOPIC_NAME = Pattern.compile("\\b(videos\\.[a-z][a-z0-9.-]*[a-z0-9])");
        private static final Pattern LOCAL_URL = Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1):(\\d+)/");

        private final Sources sources;
        private final Map<String, List<ConfigVariable>> declared;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Object> compose;
        private final Map<String, Map<String, Object>> services;
        private final List<String> reactorModules;
        private final Map<String, String> topicConstants;
        private final Map<String, Code> codes = new HashMap<>();

        DriftCheck(Sources sources) {
            this(sources, ServiceConfigs.DECLARED);
        }

        /** {@code declared}: module → the variables its config declares (see {@link ServiceConfigs#DECLARED}). */
        DriftCheck(Sources sources, Map<String, List<ConfigVariable>> declared) {
            this.sources = sources;
            this.declared = declared;
            this.compose = yaml(sources.read(COMPOSE));
            this.services = maps(compose.get("services"));
            // the modules an image build (-Dimage) reads: the root pom's own, not those its profiles add
            this.reactorModules =
                    all(Pattern.compile("<module>([^<]+)</module>"), withoutProfiles(sources.read("pom.xml")));
            this.topicConstants = constants(List.of("schemas/src/main/java/io/tweetreel/schemas/Topics.java"));
        }

        List<String> problems() {
            Map<String, Dockerfile> dockerfiles = new LinkedHashMap<>();
            for (String service : SERVICES.keySet()) {
                Map<String, Object> definition = services.get(service);
                if (definition == null) {
                    problems.add(COMPOSE + " has no service " + service);
                    continue;
                }
                Dockerfile dockerfile = checkBuild(service, definition);
                if (dockerfile == null) {
                    continue;
                }
                dockerfiles.put(service, dockerfile);
                Code code = code(service);
                checkEnvironment(service, definition, dockerfile, code);
                checkPorts(service, definition, dockerfile, code);
                checkEndpoints(service, definition);
            }
            checkBindMounts();
            checkInitScripts();
            checkTopicNames(dockerfiles);
            checkScaledObjects();
            checkImages();
            checkBuckets();
            return List.copyOf(new LinkedHashSet<>(problems));
        }

        // ---- images and what goes into them ---------------------------------------------------------------------

        private Dockerfile checkBuild(String service, Map<String, Object> definition) {
            Map<String, Object> build = map(definition.get("build"));
            String context = String.valueOf(build.getOrDefault("context", ""));
            Object dockerfileName = build.getOrDefault("dockerfile", DOCKERFILE);
            if (!".".equals(context) || !DOCKERFILE.equals(dockerfileName)) {
                problems.add(service + ": must be built with context . and the " + DOCKERFILE + " there (found context "
                        + context + ", dockerfile " + dockerfileName + ")");
                return null;
            }
            if (!sources.exists(DOCKERFILE)) {
                problems.add(DOCKERFILE + " does not exist");
                return null;
            }
            Map<String, String> args = buildArgs(build);
            Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE, sources.read(DOCKERFILE), args);
            String where = DOCKERFILE + ", built for " + service;
            if (!service.equals(args.get("SERVICE"))) {
                problems.add(service + ": " + COMPOSE + " builds it with SERVICE=" + args.get("SERVICE")
                        + " (build args), not SERVICE=" + service);
            }
            args.keySet().stream()
                    .filter(a -> !dockerfile.declaredArgs().containsKey(a))
                    .forEach(a -> problems.add(service + ": " + COMPOSE + " passes build argument " + a + ", which "
                            + DOCKERFILE + " does not declare"));
            dockerfile.declaredArgs().forEach((arg, hasDefault) -> {
                if (!hasDefault && !args.containsKey(arg)) {
                    problems.add(service + ": " + DOCKERFILE + " declares ARG " + arg + " without a default, and "
                            + COMPOSE + " passes none");
                }
            });
            List<String> ignored = dockerIgnorePatterns();
            Set<String> buildSources = new TreeSet<>();
            for (Dockerfile.Instruction copy : dockerfile.instructions("COPY", "ADD")) {
                if (copy.flag("from") != null) {
                    continue;
                }
                for (String source : copy.sources()) {
                    String path = normalize(source);
                    if (copy.stage() < dockerfile.lastStage()) {
                        buildSources.add(path);
                    }
                    if (!sources.exists(path)) {
                        problems.add(DOCKERFILE + ":" + copy.line() + ": COPY source " + source + " does not exist");
                    } else if (isIgnored(path, ignored)) {
                        problems.add(DOCKERFILE + ":" + copy.line() + ": COPY source " + source
                                + " is excluded by .dockerignore");
                    }
                }
            }
            // Maven reads every module of the image build's reactor, and builds the ones -pl <module> -am selects
            for (String module : reactorModules) {
                if (!buildSources.contains(module + "/pom.xml")) {
                    problems.add(DOCKERFILE + ": the build stage does not copy " + module + "/pom.xml (a module of"
                            + " the root pom)");
                }
            }
            boolean builds = dockerfile.instructions("RUN").stream()
                    .map(Dockerfile.Instruction::arguments)
                    .anyMatch(run -> run.matches("(?s).*\\s-Dimage\\s.*")
                            && run.matches("(?s).*\\s-pl\\s+\"?" + Pattern.quote(service) + "\"?\\s.*"));
            if (!builds) {
                problems.add(where + ": no RUN builds the module with -Dimage -pl " + service
                        + " (the image build: production modules only)");
            }
            for (String module : moduleClosure(service, true)) {
                if (!buildSources.contains(module + "/src")) {
                    problems.add(where + ": the build stage does not copy " + module + "/src/, which Maven"
                            + " builds for " + service + " (-am)");
                }
            }
            boolean copiesOutput = dockerfile.instructions("COPY").stream()
                    .filter(c -> c.flag("from") != null)
                    .flatMap(c -> c.sources().stream())
                    .anyMatch(s -> s.contains("/" + service + "/target/"));
            if (!copiesOutput) {
                problems.add(where + ": the runtime stage copies nothing from " + service + "/target/");
            }
            Pattern mainClass = Pattern.compile("\\b(io\\.tweetreel\\.[\\w.]+)");
            Set<String> mains = new TreeSet<>();
            dockerfile.instructions("ENTRYPOINT", "CMD").stream()
                    .filter(i -> i.stage() == dockerfile.lastStage())
                    .forEach(i -> mains.addAll(all(mainClass, i.arguments())));
            dockerfile.environment().values().forEach(value -> mains.addAll(all(mainClass, value)));
            if (mains.isEmpty()) {
                problems.add(where + ": neither the entry point nor the environment names an io.tweetreel main class");
            }
            for (String main : mains) {
                String file = service + "/src/main/java/" + main.replace('.', '/') + ".java";
                if (!sources.exists(file) || !sources.read(file).contains("static void main(")) {
                    problems.add(where + ": main class " + main + " is not in " + service
                            + "/src/main/java (or has no main method)");
                }
            }
            return dockerfile;
        }

        /** Compose's {@code build.args}, as a map or a list of {@code NAME=value}. */
        private static Map<String, String> buildArgs(Map<String, Object> build) {
            return environment(Map.of("environment", build.getOrDefault("args", Map.of())));
        }

        private List<String> dockerIgnorePatterns() {
            if (!sources.exists(".dockerignore")) {
                return List.of();
            }
            return sources.read(".dockerignore")
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }

        /** Docker's rule: the last pattern matching the path or one of its parents decides; "!" re-includes. */
        private static boolean isIgnored(String path, List<String> patterns) {
            boolean ignored = false;
            for (String raw : patterns) {
                boolean exception = raw.startsWith("!");
                String pattern = normalize(exception ? raw.substring(1) : raw);
                for (String candidate = path; candidate != null; candidate = parent(candidate)) {
                    if (globMatches(pattern, candidate)) {
                        ignored = !exception;
                        break;
                    }
                }
            }
            return ignored;
        }

        private static boolean globMatches(String pattern, String path) {
            if (pattern.startsWith("**/") && globMatches(pattern.substring(3), path)) {
                return true;
            }
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(path));
        }

        private static String parent(String path) {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? null : path.substring(0, slash);
        }

        private static String normalize(String path) {
            String p = path.replace('\\', '/');
            while (p.startsWith("./") || p.startsWith("/")) {
                p = p.substring(p.startsWith("./") ? 2 : 1);
            }
            return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }

        /** {@code module} and the project modules it depends on, recursively; test scope too when Maven builds them. */
        private Set<String> moduleClosure(String module, boolean withTestScope) {
            Set<String> closure = new LinkedHashSet<>();
            List<String> queue = new ArrayList<>(List.of(module));
            while (!queue.isEmpty()) {
                String current = queue.remove(0);
                if (!closure.add(current)) {
                    continue;
                }
                for (String block : all(Pattern.compile("(?s)<dependency>(.*?)</dependency>"), pom(current))) {
                    if (!block.contains("<groupId>io.tweetreel</groupId>")) {
                        continue;
                    }
                    if (!withTestScope && block.contains("<scope>test</scope>")) {
                        continue;
                    }
                    first(Pattern.compile("<artifactId>([^<]+)</artifactId>"), block)
                            .ifPresent(queue::add);
                }
            }
            return closure;
        }

        private String pom(String module) {
            // what an image build (-Dimage) sees: the profiles that add test dependencies are off there
            String pom = withoutProfiles(sources.read(module + "/pom.xml"));
            // only the module's own dependencies, not its dependencyManagement or plugins
            int start = pom.indexOf("<dependencies>");
            int end = pom.indexOf("</dependencies>");
            return start < 0 || end < 0 ? "" : pom.substring(start, end);
        }

        private static String withoutProfiles(String pom) {
            return pom.replaceAll("(?s)<profiles>.*?</profiles>", "");
        }

        // ---- environment ----------------------------------------------------------------------------------------

        private void checkEnvironment(
                String service, Map<String, Object> definition, Dockerfile dockerfile, Code code) {
            Map<String, String> composeEnv = environment(definition);
            Set<String> reads = new TreeSet<>(code.reads);
            for (String variable : scriptVariables(dockerfile)) {
                reads.add(variable);
            }
            LIBRARY_VARIABLES.forEach((variable, artifact) -> {
                if (code.runtimeArtifacts.contains(artifact)) {
                    reads.add(variable);
                }
            });
            Map<String, String> set = new LinkedHashMap<>();
            composeEnv.keySet().forEach(v -> set.put(v, COMPOSE));
            dockerfile.environment().keySet().forEach(v -> set.putIfAbsent(v, dockerfile.path()));
            set.forEach((variable, where) -> {
                if (!reads.contains(variable)) {
                    problems.add(
                            service + ": " + where + " sets " + variable + ", which " + service + " does not read");
                }
            });
            for (String required : code.required) {
                String value = composeEnv.get(required);
                if (!composeEnv.containsKey(required)) {
                    problems.add(service + ": the code requires " + required + ", which " + COMPOSE + " does not set");
                } else if (value == null || !value.matches("\\$\\{" + Pattern.quote(required) + ":?\\?[^}]*}")) {
                    problems.add(service + ": " + required + " is required: " + COMPOSE + " must take it from the host"
                            + " environment as ${" + required + ":?message}, not as a literal");
                }
            }
        }

        /** Variables of the shell scripts the image copies in (its entry point): they are read in the container. */
        private Set<String> scriptVariables(Dockerfile dockerfile) {
            Set<String> variables = new TreeSet<>();
            for (Dockerfile.Instruction copy : dockerfile.instructions("COPY")) {
                if (copy.stage() == dockerfile.lastStage() && copy.flag("from") == null) {
                    copy.sources().stream()
                            .map(DriftCheck::normalize)
                            .filter(s -> s.endsWith(".sh"))
                            .filter(sources::exists)
                            .forEach(script -> variables.addAll(all(SHELL_VARIABLE, sources.read(script))));
                }
            }
            return variables;
        }

        private static Map<String, String> environment(Map<String, Object> definition) {
            Object environment = definition.get("environment");
            Map<String, String> env = new LinkedHashMap<>();
            if (environment instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            } else if (environment instanceof List<?> list) {
                for (Object entry : list) {
                    String s = String.valueOf(entry);
                    int eq = s.indexOf('=');
                    env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
                }
            }
            return env;
        }

        /**
         * The value a container gets when the host sets none of the variables: {@code ${X:-default}} gives the
         * default, {@code ${X}} and {@code ${X:?error}} give null (unknown), {@code $$} is a dollar sign.
         */
        static String effective(String value) {
            if (value == null) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            Matcher m = PLACEHOLDER.matcher(value.replace("$$", "\u0000"));
            while (m.find()) {
                String operator = m.group(2);
                if (operator == null || operator.endsWith("?")) {
                    return null;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
            }
            m.appendTail(out);
            return out.toString().replace('\u0000', '$');
        }

        private String effectiveValue(String service, String variable, Code code) {
            Map<String, String> env = environment(services.get(service));
            return env.containsKey(variable) ? effective(env.get(variable)) : code.defaults.get(variable);
        }

        // ---- ports ----------------------------------------------------------------------------------------------

        private void checkPorts(String service, Map<String, Object> definition, Dockerfile dockerfile, Code code) {
            String variable = SERVICES.get(service);
            String codeDefault = code.defaults.get(variable);
            String port = effectiveValue(service, variable, code);
            if (codeDefault == null || port == null) {
                problems.add(service + ": cannot tell the default of " + variable + " from the code");
                return;
            }
            if (definition.containsKey("container_name")) {
                problems.add(service + ": has a container_name, so it cannot be scaled");
            }
            if (!dockerfile.exposed().contains(port)) {
                problems.add(service + ": " + dockerfile.path() + " EXPOSEs " + dockerfile.exposed() + ", but "
                        + service + " listens on " + port + " (" + variable + ")");
            }
            List<String> checked = healthCheckPorts(definition);
            if (checked.isEmpty()) {
                problems.add(service + ": has no health check on http://localhost:<port>/");
            }
            for (String asked : checked) {
                if (!asked.equals(port)) {
                    problems.add(service + ": the health check asks port " + asked + ", but the service listens on "
                            + port + " (" + variable + ")");
                }
            }
            List<String> published = listOf(definition.get("ports"));
            if (SCALED_BY_INSTANCES.contains(service)) {
                if (!published.isEmpty()) {
                    problems.add(service + ": publishes host ports " + published + ", so it cannot be scaled");
                }
                return;
            }
            // the gateway: published on its default port, which download links (BASE_URL) point at
            String expected = codeDefault + ":" + codeDefault;
            boolean matches = published.stream()
                    .map(p -> p.replaceFirst("/tcp$", ""))
                    .anyMatch(p -> p.equals(expected) || p.endsWith(":" + expected));
            if (!matches) {
                problems.add(service + ": listens on " + port + " (" + variable + "), but " + COMPOSE + " publishes "
                        + String.join(", ", published)
                        + (port.equals(codeDefault) ? "" : "; its default is " + codeDefault));
            }
            for (Map.Entry<String, Map<String, Object>> other : services.entrySet()) {
                String baseUrl = effective(environment(other.getValue()).get("BASE_URL"));
                if (baseUrl != null && URI.create(baseUrl).getPort() != Integer.parseInt(codeDefault)) {
                    problems.add(other.getKey() + ": BASE_URL " + baseUrl + " does not point at the published"
                            + " gateway port " + codeDefault);
                }
            }
        }

        private static List<String> healthCheckPorts(Map<String, Object> definition) {
            Object healthcheck = definition.get("healthcheck");
            if (!(healthcheck instanceof Map<?, ?> h)) {
                return List.of();
            }
            return all(LOCAL_URL, String.join(" ", listOf(h.get("test"))));
        }

        /** Pipeline services must be pointed at services of this compose file. */
        private void checkEndpoints(String service, Map<String, Object> definition) {
            Map<String, String> env = environment(definition);
            for (String variable : ENDPOINT_VARIABLES) {
                String value = effective(env.get(variable));
                if (value == null) {
                    continue;
                }
                for (String endpoint : value.split(",")) {
                    String host = endpoint.contains("://")
                            ? URI.create(endpoint.strip()).getHost()
                            : endpoint.strip().replaceFirst(":\\d+$", "");
                    if (!services.containsKey(host)
                            && services.values().stream().noneMatch(s -> host.equals(s.get("hostname")))) {
                        problems.add(service + ": " + variable + " points at host " + host + ", which is not a service"
                                + " of " + COMPOSE);
                    }
                }
            }
        }

        // ---- compose's own files: bind mounts and the init scripts ---------------------------------------------

        private void checkBindMounts() {
            services.forEach((name, definition) -> {
                for (String volume : listOf(definition.get("volumes"))) {
                    String source = volume.split(":")[0];
                    if ((source.startsWith("./") || source.startsWith("../")) && !sources.exists(normalize(source))) {
                        problems.add(COMPOSE + ": " + name + " mounts " + source + ", which does not exist");
                    }
                }
            });
        }

        /** One-shot services running a script of this repository: they set what the script reads, and only that. */
        private void checkInitScripts() {
            services.forEach((name, definition) -> {
                List<String> entrypoint = listOf(definition.get("entrypoint"));
                for (String volume : listOf(definition.get("volumes"))) {
                    String[] parts = volume.split(":");
                    if (parts.length < 2
                            || !parts[0].endsWith(".sh")
                            || !entrypoint.contains(parts[1])
                            || !sources.exists(normalize(parts[0]))) {
                        continue;
                    }
                    Set<String> reads = new TreeSet<>(all(SHELL_VARIABLE, sources.read(normalize(parts[0]))));
                    Set<String> set = environment(definition).keySet();
                    for (String variable : set) {
                        if (!reads.contains(variable)) {
                            problems.add(name + ": " + COMPOSE + " sets " + variable + ", which " + parts[0]
                                    + " does not read");
                        }
                    }
                    for (String variable : reads) {
                        if (!set.contains(variable)) {
                            problems.add(name + ": " + parts[0] + " reads " + variable + ", which " + COMPOSE
                                    + " does not set");
                        }
                    }
                }
            });
        }

        // ---- topics and autoscaling -----------------------------------------------------------------------------

        private List<String> deployFiles() {
            return sources.files("deploy", "").stream()
                    .filter(f -> !f.endsWith(".md"))
                    .toList();
        }

        private Set<String> allTopics() {
            String all = first(
                            Pattern.compile("(?s)\\bALL\\s*=\\s*List\\.of\\((.*?)\\);"),
                            sources.read("schemas/src/main/java/io/tweetreel/schemas/Topics.java"))
                    .orElse("");
            return Stream.of(all.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(s -> resolve(s, topicConstants))
                    .filter(Objects::nonNull)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        private void checkTopicNames(Map<String, Dockerfile> dockerfiles) {
            Set<String> known = allTopics();
            List<String> files = new ArrayList<>(List.of(COMPOSE));
            dockerfiles.values().stream().map(Dockerfile::path).distinct().forEach(files::add);
            files.addAll(deployFiles());
            for (String file : files) {
                for (String topic : new TreeSet<>(all(TOPIC_NAME, sources.read(file)))) {
                    if (!known.contains(topic)) {
                        problems.add(file + " names topic " + topic + ", which is not in Topics.ALL " + known);
                    }
                }
            }
        }

        private void checkScaledObjects() {
            String partitions = null;
            for (String stage : STAGES) {
                String p = effectiveValue(stage, "TOPIC_PARTITIONS", code(stage));
                partitions = partitions == null ? p : partitions;
                if (p != null && !p.equals(partitions)) {
                    problems.add(COMPOSE + ": the stages create topics with different partition counts");
                }
            }
            String appIdPrefix = first(
                            Pattern.compile("\"([^\"]*)\"\\s*\\+\\s*stage\\.name\\(\\)"),
                            sources.read("pipeline-core/src/main/java/io/tweetreel/core/StageService.java"))
                    .orElse("?");
            Set<String> scaled = new TreeSet<>();
            for (String file : sources.files("deploy/keda", ".yaml")) {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(sources.read(file))) {
                    Map<String, Object> object = map(document);
                    if (!"ScaledObject".equals(object.get("kind"))) {
                        continue;
                    }
                    Map<String, Object> spec = map(object.get("spec"));
                    String target =
                            String.valueOf(map(spec.get("scaleTargetRef")).get("name"));
                    if (!STAGES.contains(target)) {
                        problems.add(file + ": scales " + target + ", which is not a stage " + new TreeSet<>(STAGES));
                        continue;
                    }
                    scaled.add(target);
                    Code code = code(target);
                    String group = appIdPrefix + code.stageName;
                    String max = String.valueOf(spec.get("maxReplicaCount"));
                    if (!max.equals(partitions)) {
                        problems.add(file + ": maxReplicaCount " + max + ", but the topics get " + partitions
                                + " partitions (TOPIC_PARTITIONS): the most instances a stage can use");
                    }
                    List<Map<String, Object>> triggers =
                            listOf(spec.get("triggers")).isEmpty()
                                    ? List.of()
                                    : ((List<?>) spec.get("triggers"))
                                            .stream().map(DriftCheck::map).toList();
                    List<Map<String, Object>> kafka = triggers.stream()
                            .filter(t -> "kafka".equals(t.get("type")))
                            .toList();
                    if (kafka.isEmpty()) {
                        problems.add(file + ": has no kafka trigger");
                    }
                    for (Map<String, Object> trigger : kafka) {
                        Map<String, Object> metadata = map(trigger.get("metadata"));
                        if (!group.equals(metadata.get("consumerGroup"))) {
                            problems.add(file + ": consumerGroup " + metadata.get("consumerGroup") + ", but " + target
                                    + "'s Kafka Streams application id is " + group);
                        }
                        if (!Objects.equals(code.inputTopic, metadata.get("topic"))) {
                            problems.add(file + ": topic " + metadata.get("topic") + ", but " + target + " reads "
                                    + code.inputTopic);
                        }
                    }
                }
            }
            for (String stage : new TreeSet<>(STAGES)) {
                if (!scaled.contains(stage)) {
                    problems.add("deploy/keda has no ScaledObject for " + stage);
                }
            }
        }

        // ---- infrastructure versions and buckets -----------------------------------------------------------------

        private void checkImages() {
            String pom = sources.read("pom.xml");
            Map<String, String> expected = Map.of(
                    "apache/kafka",
                            first(Pattern.compile("<kafka.version>([^<]+)<"), pom)
                                    .orElse("?"),
                    "apicurio/apicurio-registry",
                            first(Pattern.compile("<apicurio.app.version>([^<]+)<"), pom)
                                    .orElse("?"));
            Map<String, String> names =
                    Map.of("apache/kafka", "Kafka", "apicurio/apicurio-registry", "Apicurio Registry");
            services.forEach((name, definition) -> {
                String image = String.valueOf(definition.getOrDefault("image", ""));
                int colon = image.lastIndexOf(':');
                String repository = colon < 0 ? image : image.substring(0, colon);
                String version = expected.get(repository);
                if (version != null && !image.equals(repository + ":" + version)) {
                    problems.add(COMPOSE + ": " + name + " runs " + image + ", but the project builds and tests with "
                            + names.get(repository) + " " + version);
                }
            });
        }

        private void checkBuckets() {
            Map<String, Object> init = services.get("minio-init");
            if (init == null) {
                problems.add(COMPOSE + " has no minio-init service creating the buckets");
                return;
            }
            Map<String, String> created = environment(init);
            for (String variable : List.of("S3_WORK_BUCKET", "S3_VIDEOS_BUCKET")) {
                String bucket = effective(created.get(variable));
                for (String service : SERVICES.keySet()) {
                    if (!services.containsKey(service)) {
                        continue;
                    }
                    String used = effectiveValue(service, variable, code(service));
                    if (!Objects.equals(bucket, used)) {
                        problems.add("minio-init creates bucket " + bucket + ", but " + service + " uses " + used + " ("
                                + variable + ")");
                    }
                }
            }
        }

        // ---- what the code says ----------------------------------------------------------------------------------

        private Code code(String service) {
            return codes.computeIfAbsent(service, Code::new);
        }

        /**
         * What one service reads from the environment and its defaults, as its config declares them; the libraries
         * it runs with and its stage, from its build files and sources.
         */
        final class Code {
            final Set<String> reads = new TreeSet<>();
            final Set<String> required = new TreeSet<>();
            final Map<String, String> defaults = new HashMap<>();
            final Set<String> runtimeArtifacts = new TreeSet<>();
            String stageName;
            String inputTopic;

            Code(String service) {
                for (ConfigVariable variable : declared.getOrDefault(service, List.of())) {
                    reads.add(variable.name());
                    if (variable.required()) {
                        required.add(variable.name());
                    }
                    if (variable.defaultValue() != null) {
                        defaults.put(variable.name(), variable.defaultValue());
                    }
                }
                for (String module : moduleClosure(service, false)) {
                    for (String block : all(Pattern.compile("(?s)<dependency>(.*?)</dependency>"), pom(module))) {
                        if (!block.contains("<scope>test</scope>")) {
                            first(Pattern.compile("<artifactId>([^<]+)</artifactId>"), block)
                                    .ifPresent(runtimeArtifacts::add);
                        }
                    }
                }
                for (String file : sources.files(service + "/src/main/java", ".java")) {
                    Matcher stage = Pattern.compile(
                                    "new StageDefinition<>\\(\\s*\"([^\"]+)\"\\s*,\\s*topics\\.(\\w+)\\(\\)")
                            .matcher(sources.read(file));
                    if (stage.find()) {
                        stageName = stage.group(1);
                        inputTopic = topicOf(stage.group(2));
                    }
                }
            }
        }

        private String topicOf(String accessor) {
            String topics = sources.read("schemas/src/main/java/io/tweetreel/schemas/Topics.java");
            return first(Pattern.compile("\\b" + accessor + "\\s*=\\s*new Topic<>\\(\\s*(\\w+)"), topics)
                    .map(constant -> resolve(constant, topicConstants))
                    .orElse(null);
        }

        /** {@code static final} String and integer constants, as {@code Class.NAME} and, per file, {@code file#NAME}. */
        private Map<String, String> constants(List<String> javaFiles) {
            Map<String, String> constants = new HashMap<>();
            for (String file : javaFiles) {
                String className = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
                Matcher m = CONSTANT.matcher(sources.read(file));
                while (m.find()) {
                    String value = m.group(2).startsWith("\"")
                            ? m.group(2).substring(1, m.group(2).length() - 1)
                            : m.group(2);
                    constants.put(className + "." + m.group(1), value);
                    constants.put(file + "#" + m.group(1), value);
                    constants.put(m.group(1), value);
                }
            }
            return constants;
        }

        private static String resolve(String expression, Map<String, String> constants) {
            return resolve(expression, constants, null);
        }

        /** A literal, {@code Class.CONSTANT}, or a constant of {@code file}; null when it is anything else. */
        private static String resolve(String expression, Map<String, String> constants, String file) {
            String e = expression.strip();
            if (e.matches("\"(?:[^\"\\\\]|\\\\.)*\"")) {
                return e.substring(1, e.length() - 1);
            }
            if (e.matches("-?\\d+")) {
                return e;
            }
            if (e.matches("[A-Z][A-Za-z0-9_]*\\.[A-Z][A-Z0-9_]*")) {
                return constants.get(e);
            }
            if (e.matches("[A-Z][A-Z0-9_]*")) {
                return file != null && constants.containsKey(file + "#" + e)
                        ? constants.get(file + "#" + e)
                        : constants.get(e);
            }
            return null;
        }

        // ---- small helpers ---------------------------------------------------------------------------------------

        private static Map<String, Object> yaml(String text) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object value) {
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        private static Map<String, Map<String, Object>> maps(Object value) {
            Map<String, Map<String, Object>> out = new TreeMap<>();
            map(value).forEach((k, v) -> out.put(k, map(v)));
            return out;
        }

        private static List<String> listOf(Object value) {
            if (value instanceof Collection<?> c) {
                return c.stream().map(String::valueOf).toList();
            }
            return value == null ? List.of() : List.of(String.valueOf(value));
        }

        private static List<String> all(Pattern pattern, String text) {
            List<String> out = new ArrayList<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }

        private static java.util.Optional<String> first(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        }

        private static Map<String, String> linked(String... pairs) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                map.put(pairs[i], pairs[i + 1]);
            }
            return map;
        }
    }

    /**
     * The parts of a Dockerfile the checks need: instructions per build stage, with continuation lines joined and the
     * build arguments substituted where Docker would (an {@code ARG} counts from its line to the end of its stage;
     * one before the first {@code FROM} only in {@code FROM} lines); and the arguments it declares, with whether
     * each has a default.
     */
    record Dockerfile(String path, List<Instruction> all, Map<String, Boolean> declaredArgs) {
        record Instruction(String keyword, String arguments, int line, int stage) {
            /** The value of {@code --name=value}, or null. */
            String flag(String name) {
                Matcher m = Pattern.compile("(?:^|\\s)--" + name + "=(\\S+)").matcher(arguments);
                return m.find() ? m.group(1) : null;
            }

            /** COPY/ADD sources: every argument but the flags and the destination (shell or JSON form). */
            List<String> sources() {
                List<String> parts = arguments.strip().startsWith("[")
                        ? DriftCheck.all(Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\""), arguments)
                        : Stream.of(arguments.strip().split("\\s+"))
                                .filter(p -> !p.startsWith("--"))
                                .toList();
                return parts.size() < 2 ? List.of() : parts.subList(0, parts.size() - 1);
            }
        }

        private static final Pattern ARG_USE =
                Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

        /** @param args the build arguments given ({@code --build-arg}, compose's {@code build.args}) */
        static Dockerfile parse(String path, String text, Map<String, String> args) {
            List<Instruction> instructions = new ArrayList<>();
            Map<String, Boolean> declared = new LinkedHashMap<>();
            Map<String, String> global = new HashMap<>();
            Map<String, String> inScope = new HashMap<>();
            StringBuilder current = new StringBuilder();
            int startLine = 0;
            int stage = -1;
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].stripTrailing();
                if (line.strip().startsWith("#") || (current.length() == 0 && line.isBlank())) {
                    continue; // comments, also inside continued instructions, are dropped by Docker
                }
                if (current.length() == 0) {
                    startLine = i + 1;
                }
                boolean continues = line.endsWith("\\");
                current.append(continues ? line.substring(0, line.length() - 1) : line)
                        .append(' ');
                if (!continues) {
                    String instruction = current.toString().strip();
                    current.setLength(0);
                    int space = instruction.indexOf(' ');
                    String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
                    String arguments = space < 0 ? "" : instruction.substring(space + 1);
                    if ("FROM".equals(keyword)) {
                        stage++;
                        arguments = substitute(arguments, global);
                        inScope = new HashMap<>();
                    } else if ("ARG".equals(keyword)) {
                        String[] nameAndDefault = arguments.strip().split("=", 2);
                        String name = nameAndDefault[0];
                        declared.merge(name, nameAndDefault.length > 1, Boolean::logicalOr);
                        String value = args.containsKey(name)
                                ? args.get(name)
                                : nameAndDefault.length > 1 ? unquote(nameAndDefault[1]) : "";
                        (stage < 0 ? global : inScope).put(name, value);
                    } else {
                        arguments = substitute(arguments, inScope);
                    }
                    instructions.add(new Instruction(keyword, arguments, startLine, stage));
                }
            }
            return new Dockerfile(path, instructions, declared);
        }

        /** {@code $NAME} and {@code ${NAME}} of the arguments in scope replaced by their values; others left alone. */
        private static String substitute(String text, Map<String, String> values) {
            Matcher m = ARG_USE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, m.group())));
            }
            return m.appendTail(out).toString();
        }

        private static String unquote(String value) {
            String v = value.strip();
            return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
                    ? v.substring(1, v.length() - 1)
                    : v;
        }

        List<Instruction> instructions(String... keywords) {
            Set<String> wanted = Set.of(keywords);
            return all.stream().filter(i -> wanted.contains(i.keyword())).toList();
        }

        int lastStage() {
            return all.stream().mapToInt(Instruction::stage).max().orElse(0);
        }

        /** ENV of the image that runs ({@code KEY=value ...}, or the old {@code KEY value}). */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\S*)");
            for (Instruction i : instructions("ENV")) {
                if (i.stage() != lastStage()) {
                    continue;
                }
                String args = i.arguments().strip();
                if (args.matches("[A-Za-z_][A-Za-z0-9_]*\\s+[^=]*") && !args.contains("=")) {
                    String[] kv = args.split("\\s+", 2);
                    env.put(kv[0], kv[1]);
                    continue;
                }
                Matcher m = pair.matcher(args);
                while (m.find()) {
                    env.put(m.group(1), m.group(2));
                }
            }
            return env;
        }

        /** Ports the image that runs declares with EXPOSE. */
        Set<String> exposed() {
            return instructions("EXPOSE").stream()
                    .filter(i -> i.stage() == lastStage())
                    .flatMap(i -> Stream.of(i.arguments().strip().split("\\s+")))
                    .map(p -> p.replaceFirst("/(tcp|udp)$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
