package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code tweetreel up}: the infrastructure, then the four services as child processes (more renderer and
 * composer instances with {@code --renderers N --composers N}), until Ctrl-C or SIGTERM.
 */
public final class TweetReelCli {
    private TweetReelCli() {
    }

    public static void main(String[] args) throws IOException {
        int renderers = 1;
        int composers = 1;
        List<String> stackArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--renderers" -> renderers = count(args, ++i, "--renderers");
                case "--composers" -> composers = count(args, ++i, "--composers");
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
        String baseUrl = System.getenv().getOrDefault("BASE_URL", "http://localhost:" + ServiceModule.GATEWAY.defaultPort());
        Map<String, String> env = ServiceProcess.sharedEnvironment(filenameSecret(config.stateDir()), baseUrl);
        DevStack.runUntilStopped(config, services(root, renderers, composers, env));
    }

    /** Services in start order: the stages first, so the gateway's page works as soon as it is announced. */
    public static List<StackComponent> services(Path root, int renderers, int composers, Map<String, String> env) {
        List<StackComponent> services = new ArrayList<>();
        for (int i = 0; i < renderers; i++) {
            services.add(new ServiceProcess(ServiceModule.RENDERER, i, ServiceModule.RENDERER.defaultPort() + 10 * i, root, env));
        }
        for (int i = 0; i < composers; i++) {
            services.add(new ServiceProcess(ServiceModule.COMPOSER, i, ServiceModule.COMPOSER.defaultPort() + 10 * i, root, env));
        }
        services.add(new ServiceProcess(ServiceModule.STORAGE, 0, ServiceModule.STORAGE.defaultPort(), root, env));
        services.add(new ServiceProcess(ServiceModule.GATEWAY, 0, ServiceModule.GATEWAY.defaultPort(), root, env));
        return services;
    }

    /** Generated once per state directory and kept there, so filenames stay stable across restarts. */
    public static String filenameSecret(Path stateDir) throws IOException {
        Path file = stateDir.resolve("filename-secret");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(stateDir);
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Files.writeString(file, secret);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return secret;
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
