package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code tweetreel up}: the infrastructure, then the services as child processes (more renderer and composer
 * instances with {@code --renderers N --composers N}), until Ctrl-C or SIGTERM. Each service inherits this process's
 * environment, so every variable a service reads (README, "Configuration") can be set on the command line, e.g.
 * {@code WEBHOOK_ALLOW_PRIVATE_HOSTS=true WEBHOOK_RETRY_SCHEDULE=1s,2s ./tweetreel up}; only what the stack itself
 * decides (the addresses of Kafka, the registry and S3, the services' ports, STATE_DIR, INSTANCE_ID, API_AUTH, and
 * with {@code --auth} ADMIN_TOKEN) is set over it. {@code --auth} turns the gateway's API keys on (see
 * {@link #accessEnvironment}).
 */
public final class TweetReelCli {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private TweetReelCli() {}

    public static void main(String[] args) throws IOException {
        int renderers = 1;
        int composers = 1;
        boolean auth = false;
        List<String> stackArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--renderers" -> renderers = count(args, ++i, "--renderers");
                case "--composers" -> composers = count(args, ++i, "--composers");
                case "--auth" -> auth = true;
                default -> stackArgs.add(args[i]);
            }
        }
        DevStackConfig config;
        try {
            config = DevStackConfig.fromEnvironment(System.getenv(), stackArgs.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path root = ServiceModule.repoRoot();
        String baseUrl =
                System.getenv().getOrDefault("BASE_URL", "http://localhost:" + ServiceModule.GATEWAY.defaultPort());
        Map<String, String> env =
                new HashMap<>(ServiceProcess.sharedEnvironment(filenameSecret(config.stateDir()), baseUrl));
        // a secret given on the command line wins, so webhooks verify with a key the receiver already has
        String webhookSecret = System.getenv("WEBHOOK_SECRET");
        env.put(
                "WEBHOOK_SECRET",
                webhookSecret != null && !webhookSecret.isBlank() ? webhookSecret : webhookSecret(config.stateDir()));
        env.putAll(accessEnvironment(config.stateDir(), auth));
        List<StackComponent> components = new ArrayList<>(services(root, renderers, composers, env));
        if (auth) {
            components.add(new FirstApiKey(
                    "http://127.0.0.1:" + ServiceModule.GATEWAY.defaultPort(),
                    env.get("ADMIN_TOKEN"),
                    config.stateDir().resolve("api-key"),
                    System.out::println));
        }
        DevStack.runUntilStopped(config, components);
    }

    /**
     * The gateway's access settings: without {@code auth}, no keys ({@code API_AUTH=none}, and then the gateway
     * listens on 127.0.0.1 only unless GATEWAY_HOST says otherwise); with it, keys on and the admin token kept in
     * {@code admin-token} in the state directory (generated on the first start, mode 600), where
     * {@code tweetreel keys} finds it.
     */
    public static Map<String, String> accessEnvironment(Path stateDir, boolean auth) throws IOException {
        if (!auth) {
            return Map.of("API_AUTH", "none");
        }
        return Map.of("API_AUTH", "keys", "ADMIN_TOKEN", adminToken(stateDir));
    }

    /** 40 random base62 characters (238 bits), generated once per state directory and kept in {@code admin-token}. */
    public static String adminToken(Path stateDir) throws IOException {
        return keptSecret(stateDir.resolve("admin-token"), () -> {
            SecureRandom random = new SecureRandom();
            StringBuilder token = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                token.append(BASE62.charAt(random.nextInt(BASE62.length())));
            }
            return token.toString();
        });
    }

    /** The services; they start at the same time and the stack is ready when every one is. */
    public static List<StackComponent> services(Path root, int renderers, int composers, Map<String, String> env) {
        List<StackComponent> services = new ArrayList<>();
        for (int i = 0; i < renderers; i++) {
            services.add(new ServiceProcess(
                    ServiceModule.RENDERER, i, ServiceModule.RENDERER.defaultPort() + 10 * i, root, env));
        }
        for (int i = 0; i < composers; i++) {
            services.add(new ServiceProcess(
                    ServiceModule.COMPOSER, i, ServiceModule.COMPOSER.defaultPort() + 10 * i, root, env));
        }
        services.add(new ServiceProcess(ServiceModule.STORAGE, 0, ServiceModule.STORAGE.defaultPort(), root, env));
        services.add(new ServiceProcess(ServiceModule.NOTIFIER, 0, ServiceModule.NOTIFIER.defaultPort(), root, env));
        services.add(new ServiceProcess(ServiceModule.GATEWAY, 0, ServiceModule.GATEWAY.defaultPort(), root, env));
        return services;
    }

    /** Generated once per state directory and kept there, so filenames stay stable across restarts. */
    public static String filenameSecret(Path stateDir) throws IOException {
        return keptSecret(
                stateDir.resolve("filename-secret"), () -> HexFormat.of().formatHex(randomBytes()));
    }

    /**
     * The key webhooks are signed with ({@code whsec_} + base64 of 32 random bytes, Standard Webhooks), generated
     * once per state directory and kept in {@code webhook-secret} there, so receivers can verify across restarts.
     */
    public static String webhookSecret(Path stateDir) throws IOException {
        return keptSecret(
                stateDir.resolve("webhook-secret"),
                () -> "whsec_" + Base64.getEncoder().encodeToString(randomBytes()));
    }

    /** The secret in {@code file}; when there is none, a {@code generate}d one written there, mode 600. */
    static String keptSecret(Path file, Supplier<String> generate) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        String secret = generate.get();
        writeOwnerOnly(file, secret);
        return secret;
    }

    static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * Writes {@code secret} to a new {@code file} that only its owner may read: created with mode 600 rather than
     * changed to it after writing, when another user could already have opened it.
     */
    static void writeOwnerOnly(Path file, String secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while the stack was making it; start again to use it", e);
        }
        Files.writeString(file, secret);
    }

    private static int count(String[] args, int i, String option) {
        try {
            int n = Integer.parseInt(args[i]);
            if (n >= 1 && n <= 6) {
                return n;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        System.err.println(option + " takes a number from 1 to 6 (TOPIC_PARTITIONS caps useful instances)");
        System.exit(2);
        return 0;
    }
}
