package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full product (four services as child JVMs) for the fault tests, with the composer reachable so a test can
 * SIGTERM and restart it. One stack for every fault test class of the run (keyed by this class's name).
 */
public class FaultStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = PipelineStackExtension.freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;
    private static volatile ServiceProcess composer;

    /** The composer of this stack; the same object the stack stops at the end, so restarting it is safe. */
    static ServiceProcess composer() {
        return composer;
    }

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env = new HashMap<>(
                ServiceProcess.sharedEnvironment("fault-test-filename-secret-0123456789abc", GATEWAY));
        env.put("LOG_LEVEL", "INFO");
        composer = new ServiceProcess(ServiceModule.COMPOSER, 0, PipelineStackExtension.freePort(), root, env);
        return List.of(
                new ServiceProcess(ServiceModule.RENDERER, 0, PipelineStackExtension.freePort(), root, env),
                composer,
                new ServiceProcess(ServiceModule.STORAGE, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.GATEWAY, 0, GATEWAY_PORT, root, env));
    }
}
