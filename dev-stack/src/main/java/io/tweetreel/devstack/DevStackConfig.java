package io.tweetreel.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the dev stack: where its state lives and which ports it listens on. A port of 0 means "pick a free
 * port", which is what tests use.
 *
 * @param stateDir              everything persistent lives under it (Kafka log, registry snapshots, S3 objects, logs)
 * @param kafkaPort             Kafka client listener
 * @param kafkaControllerPort   KRaft controller listener
 * @param registryPort          Apicurio Registry HTTP port
 * @param s3Port                S3 HTTP port
 * @param s3AccessKey           S3 access key
 * @param s3SecretKey           S3 secret key
 * @param registryStartTimeout  how long to wait for the registry to become ready
 * @param kafkaAuth             the broker takes only SCRAM-SHA-256 logins ({@code --kafka-auth}), see {@link KafkaScram}
 * @param brokers               1 (a broker in the stack's JVM) or 3 ({@code --brokers 3}: a {@link KafkaCluster} of
 *                              child JVMs; node N listens on {@code kafkaPort + 2(N-1)}, its controller on
 *                              {@code kafkaControllerPort + 2(N-1)})
 */
public record DevStackConfig(
        Path stateDir,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int s3Port,
        String s3AccessKey,
        String s3SecretKey,
        Duration registryStartTimeout,
        boolean kafkaAuth,
        int brokers) {

    /** The flag that turns {@link #kafkaAuth()} on. */
    public static final String KAFKA_AUTH_FLAG = "--kafka-auth";

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_S3_PORT = 9000;
    public static final String DEFAULT_S3_KEY = "minioadmin";
    public static final String S3_REGION = "us-east-1";
    public static final Duration DEFAULT_REGISTRY_START_TIMEOUT = Duration.ofSeconds(120);

    private static final String BROKERS_RULE =
            "KAFKA_BROKERS (--brokers) must be 1 or 3: one broker, or a cluster of three that carries on without one";

    /** Environment variable → command-line option, for {@link #fromEnvironment} and the help text. */
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("TWEETREEL_STATE_DIR", "--state-dir");
        OPTIONS.put("KAFKA_PORT", "--kafka-port");
        OPTIONS.put("KAFKA_CONTROLLER_PORT", "--kafka-controller-port");
        OPTIONS.put("REGISTRY_PORT", "--registry-port");
        OPTIONS.put("S3_PORT", "--s3-port");
        OPTIONS.put("KAFKA_BROKERS", "--brokers");
    }

    public DevStackConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(registryStartTimeout, "registryStartTimeout");
        stateDir = stateDir.toAbsolutePath().normalize();
        checkPort("kafkaPort", kafkaPort);
        checkPort("kafkaControllerPort", kafkaControllerPort);
        checkPort("registryPort", registryPort);
        checkPort("s3Port", s3Port);
        checkBrokers(brokers);
        if (kafkaAuth && brokers != 1) {
            throw new IllegalArgumentException(
                    KAFKA_AUTH_FLAG + " works with one Kafka broker only; leave out --brokers " + brokers);
        }
    }

    /** The local defaults from ARCHITECTURE.md: state in {@code .tweetreel/} under the current directory. */
    public static DevStackConfig defaults() {
        return new DevStackConfig(
                Path.of(".tweetreel"),
                DEFAULT_KAFKA_PORT,
                DEFAULT_KAFKA_CONTROLLER_PORT,
                DEFAULT_REGISTRY_PORT,
                DEFAULT_S3_PORT,
                DEFAULT_S3_KEY,
                DEFAULT_S3_KEY,
                DEFAULT_REGISTRY_START_TIMEOUT,
                false,
                1);
    }

    /** Free ports everywhere and the given state directory: what tests use. */
    public static DevStackConfig forTests(Path stateDir) {
        return new DevStackConfig(
                stateDir, 0, 0, 0, 0, DEFAULT_S3_KEY, DEFAULT_S3_KEY, DEFAULT_REGISTRY_START_TIMEOUT, false, 1);
    }

    /**
     * Defaults, overridden by environment variables ({@code TWEETREEL_STATE_DIR}, {@code KAFKA_PORT},
     * {@code KAFKA_CONTROLLER_PORT}, {@code REGISTRY_PORT}, {@code S3_PORT}, {@code KAFKA_BROKERS}), overridden in
     * turn by command-line options ({@code --state-dir DIR}, {@code --kafka-port N}, ... also as
     * {@code --option=value}).
     *
     * @throws IllegalArgumentException naming the variable or option and what it accepts
     */
    public static DevStackConfig fromEnvironment(Map<String, String> env, String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        OPTIONS.keySet().forEach(name -> {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                values.put(name, value.trim());
            }
        });
        boolean kafkaAuth = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(KAFKA_AUTH_FLAG)) {
                kafkaAuth = true;
                continue;
            }
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String name = OPTIONS.entrySet().stream()
                    .filter(e -> e.getValue().equals(option))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option " + arg + "\n" + usage()));
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + usage());
            }
            values.put(name, value.trim());
        }
        DevStackConfig d = defaults();
        return new DevStackConfig(
                Path.of(values.getOrDefault("TWEETREEL_STATE_DIR", d.stateDir().toString())),
                port(values, "KAFKA_PORT", d.kafkaPort()),
                port(values, "KAFKA_CONTROLLER_PORT", d.kafkaControllerPort()),
                port(values, "REGISTRY_PORT", d.registryPort()),
                port(values, "S3_PORT", d.s3Port()),
                d.s3AccessKey(),
                d.s3SecretKey(),
                d.registryStartTimeout(),
                kafkaAuth,
                brokers(values, d.brokers()));
    }

    public static String usage() {
        StringBuilder text = new StringBuilder("Options (environment variable in brackets, 0 = any free port):\n");
        OPTIONS.forEach((name, option) -> text.append(String.format("  %-30s [%s]%n", option + " VALUE", name)));
        text.append(String.format(
                "  %-30s Kafka takes only SCRAM-SHA-256 logins; see <state dir>/kafka-client.properties%n",
                KAFKA_AUTH_FLAG));
        text.append("Defaults: state in ./.tweetreel, Kafka 9092 (controller 9093), registry 8081, S3 9000.\n");
        text.append(
                "--brokers 3: three Kafka nodes (9092/9093, 9094/9095, 9096/9097 by default), topics on all three.");
        return text.toString();
    }

    public DevStackConfig withStateDir(Path dir) {
        return new DevStackConfig(
                dir,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                s3Port,
                s3AccessKey,
                s3SecretKey,
                registryStartTimeout,
                kafkaAuth,
                brokers);
    }

    public DevStackConfig withPorts(int kafka, int kafkaController, int registry, int s3) {
        return new DevStackConfig(
                stateDir,
                kafka,
                kafkaController,
                registry,
                s3,
                s3AccessKey,
                s3SecretKey,
                registryStartTimeout,
                kafkaAuth,
                brokers);
    }

    /** This configuration with the broker taking only SCRAM logins, or not. */
    public DevStackConfig withKafkaAuth(boolean on) {
        return new DevStackConfig(
                stateDir,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                s3Port,
                s3AccessKey,
                s3SecretKey,
                registryStartTimeout,
                on,
                brokers);
    }

    /** This configuration with one Kafka broker or a cluster of three ({@link KafkaCluster}). */
    public DevStackConfig withBrokers(int count) {
        return new DevStackConfig(
                stateDir,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                s3Port,
                s3AccessKey,
                s3SecretKey,
                registryStartTimeout,
                kafkaAuth,
                count);
    }

    private static int port(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            checkPort(name, port);
            return port;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " (" + OPTIONS.get(name) + ") must be a port number "
                    + "0-65535 (0 = any free port), got '" + value + "'");
        }
    }

    private static int brokers(Map<String, String> values, int fallback) {
        String value = values.get("KAFKA_BROKERS");
        if (value == null) {
            return fallback;
        }
        try {
            int brokers = Integer.parseInt(value);
            checkBrokers(brokers);
            return brokers;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BROKERS_RULE + ", got '" + value + "'");
        }
    }

    private static void checkBrokers(int brokers) {
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException(BROKERS_RULE + ", got " + brokers);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0-65535, got " + port);
        }
    }
}
