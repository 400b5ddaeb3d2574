package io.tweetreel.bench;

import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.DevStackConfig;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import io.tweetreel.devstack.TweetReelCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./tweetreel up} to ready, measured: the same stack {@code up} starts (Kafka, registry and S3, then renderer,
 * composer, storage, notifier and gateway together, as {@link TweetReelCli#services} lists them) until
 * {@link DevStack#start()} returns, i.e. until every service's {@code /health/ready} answered 200. Once from an
 * empty state directory, then again on the same directory after a clean stop, as a user's second {@code up} finds
 * it. Free ports instead of {@code up}'s fixed ones, so a stack already running on this machine is not in the way.
 */
final class UpToReady {

    /** One start: the total, and each part's own time in the order the parts became ready. */
    record Start(Duration total, Map<String, Double> partSeconds) {
        double totalSeconds() {
            return total.toMillis() / 1000.0;
        }
    }

    record Result(Start fresh, Start restart) {}

    /** A part's line from {@link DevStack}'s reporter: mark, name, address, "(12.3 s)". */
    private static final Pattern PART_READY = Pattern.compile("^\\S+ (\\S+)\\s.*\\((\\d+(?:\\.\\d+)?) s\\)$");

    private UpToReady() {}

    static Result measure(Path stateDir) throws Exception {
        Start fresh = startAndStop(stateDir);
        Start restart = startAndStop(stateDir);
        return new Result(fresh, restart);
    }

    private static Start startAndStop(Path stateDir) throws Exception {
        Map<String, Double> parts = new LinkedHashMap<>();
        try (DevStack stack = new DevStack(DevStackConfig.forTests(stateDir), services(stateDir), line -> {
            System.out.println(line);
            Matcher m = PART_READY.matcher(line);
            if (m.matches()) {
                parts.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        })) {
            stack.start();
            return new Start(stack.startupTime(), parts);
        }
    }

    /** {@code up}'s services with its defaults (one renderer, one composer), on free ports. */
    private static List<StackComponent> services(Path stateDir) throws IOException {
        Path root = ServiceModule.repoRoot();
        int gatewayPort = freePort();
        Map<String, String> env = new HashMap<>(ServiceProcess.sharedEnvironment(
                TweetReelCli.filenameSecret(stateDir), "http://127.0.0.1:" + gatewayPort));
        env.put("WEBHOOK_SECRET", TweetReelCli.webhookSecret(stateDir));
        List<StackComponent> services = new ArrayList<>();
        for (ServiceModule module : List.of(
                ServiceModule.RENDERER, ServiceModule.COMPOSER, ServiceModule.STORAGE, ServiceModule.NOTIFIER)) {
            services.add(new ServiceProcess(module, 0, freePort(), root, env));
        }
        services.add(new ServiceProcess(ServiceModule.GATEWAY, 0, gatewayPort, root, env));
        return services;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
