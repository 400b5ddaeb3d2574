package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two gateway instances with API keys on ({@code API_AUTH=keys}, an admin token), sharing the status table as
 * behind a load balancer; no stages: what the access tests check needs none (their jobs stay pending).
 */
public class AccessStackExtension extends DevStackExtension {
    static final String ADMIN_TOKEN = "access-test-admin-token-0123456789abcdef";
    static final int PORT_1 = PipelineStackExtension.freePort();
    static final int PORT_2 = PipelineStackExtension.freePort();
    static final String GATEWAY_1 = "http://127.0.0.1:" + PORT_1;
    static final String GATEWAY_2 = "http://127.0.0.1:" + PORT_2;

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env =
                new HashMap<>(ServiceProcess.sharedEnvironment("access-test-filename-secret-0123456789ab", GATEWAY_1));
        env.put("LOG_LEVEL", "INFO");
        env.put("API_AUTH", "keys");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        return List.of(
                new ServiceProcess(ServiceModule.GATEWAY, 0, PORT_1, root, env),
                new ServiceProcess(ServiceModule.GATEWAY, 1, PORT_2, root, env));
    }
}
