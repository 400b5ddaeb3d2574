package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * The dev stack with the four services on top, each its own OS process started from its build output, on free
 * ports: the product as an operator runs it. Shared by every test class of the run.
 */
public class PipelineStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env = new java.util.HashMap<>(
                ServiceProcess.sharedEnvironment("system-test-filename-secret-0123456789", GATEWAY));
        env.put("LOG_LEVEL", "INFO");
        return List.of(
                new ServiceProcess(ServiceModule.RENDERER, 0, freePort(), root, env),
                new ServiceProcess(ServiceModule.COMPOSER, 0, freePort(), root, env),
                new ServiceProcess(ServiceModule.STORAGE, 0, freePort(), root, env),
                new ServiceProcess(ServiceModule.GATEWAY, 0, GATEWAY_PORT, root, env));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
