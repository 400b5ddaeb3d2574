package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The full product as child JVMs for the fault tests: renderer, two composers (separate OS processes sharing the
 * work, so one can be killed while the other takes over), storage, notifier (loopback receivers allowed) and
 * gateway. The composers are reachable so a
 * test can SIGTERM, kill and restart them, and so is the renderer. One stack for every fault test class of the
 * run (keyed by this class's name); a test that takes a part away brings it back before it ends. The gateway runs
 * with {@value #JOB_TIMEOUT}, so a lost job is re-driven within a test's time; the stages with 60 s (see
 * {@link #components()}).
 */
public class FaultStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = PipelineStackExtension.freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;
    static final int GATEWAY_2_PORT = PipelineStackExtension.freePort();
    static final String GATEWAY_2 = "http://127.0.0.1:" + GATEWAY_2_PORT;
    static final String JOB_TIMEOUT = "30s";
    private static volatile List<ServiceProcess> composers = List.of();
    private static volatile List<ServiceProcess> services = List.of();
    private static volatile ServiceProcess renderer;
    private static volatile List<ServiceProcess> gateways = List.of();

    /** The composers of this stack; the same objects the stack stops at the end, so restarting them is safe. */
    static List<ServiceProcess> composers() {
        return composers;
    }

    /** The gateways of this stack, {@link #GATEWAY} first; the same objects the stack stops at the end. */
    static List<ServiceProcess> gateways() {
        return gateways;
    }

    /** Every service of this stack: renderer, composers, storage, notifier, gateways. */
    static List<ServiceProcess> services() {
        return services;
    }

    /** The renderer of this stack; the same object the stack stops at the end, so restarting it is safe. */
    static ServiceProcess renderer() {
        return renderer;
    }

    /** The composer with an ffmpeg child right now, i.e. one that is encoding a job, if any. */
    static Optional<ServiceProcess> encodingComposer() {
        return composers.stream()
                .filter(c -> c.handle()
                        .map(h -> h.descendants().anyMatch(FaultStackExtension::isFfmpeg))
                        .orElse(false))
                .findFirst();
    }

    private static boolean isFfmpeg(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false);
    }

    /**
     * Every fault stack's environment of its services, {@code gateway} being the public URL. Timeouts are shorter
     * than production, so a lost job is found within a test's patience; RETRY_FOR still outlasts the S3 outage.
     */
    static Map<String, String> environment(String gateway) {
        Map<String, String> env =
                new HashMap<>(ServiceProcess.sharedEnvironment("fault-test-filename-secret-0123456789abc", gateway));
        env.put("LOG_LEVEL", "INFO");
        env.put("JOB_TIMEOUT", "60s");
        env.put("RETRY_FOR", "60s");
        env.put("ENCODE_TIMEOUT", "60s");
        return env;
    }

    /** The notifier of a fault stack, delivering to the tests' loopback receivers. */
    static ServiceProcess notifier(Map<String, String> env) {
        Map<String, String> notifierEnv = new HashMap<>(env);
        notifierEnv.put("WEBHOOK_SECRET", PipelineStackExtension.WEBHOOK_SECRET);
        notifierEnv.put("WEBHOOK_ALLOW_PRIVATE_HOSTS", "true");
        return new ServiceProcess(
                ServiceModule.NOTIFIER, 0, PipelineStackExtension.freePort(), ServiceModule.repoRoot(), notifierEnv);
    }

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env = environment(GATEWAY);
        composers = List.of(
                new ServiceProcess(ServiceModule.COMPOSER, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.COMPOSER, 1, PipelineStackExtension.freePort(), root, env));
        renderer = new ServiceProcess(ServiceModule.RENDERER, 0, PipelineStackExtension.freePort(), root, env);
        Map<String, String> gatewayEnv = new HashMap<>(env);
        gatewayEnv.put("JOB_TIMEOUT", JOB_TIMEOUT);
        List<StackComponent> parts = new ArrayList<>();
        parts.add(renderer);
        parts.addAll(composers);
        parts.add(new ServiceProcess(ServiceModule.STORAGE, 0, PipelineStackExtension.freePort(), root, env));
        parts.add(notifier(env));
        gateways = List.of(gateway(0, GATEWAY, gatewayEnv), gateway(1, GATEWAY_2, gatewayEnv));
        parts.addAll(gateways);
        services = parts.stream().map(ServiceProcess.class::cast).toList();
        return parts;
    }

    private static ServiceProcess gateway(int instance, String url, Map<String, String> gatewayEnv) {
        Map<String, String> env = new HashMap<>(gatewayEnv);
        env.put("ADVERTISED_URL", url);
        return new ServiceProcess(
                ServiceModule.GATEWAY,
                instance,
                Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)),
                ServiceModule.repoRoot(),
                env);
    }
}
