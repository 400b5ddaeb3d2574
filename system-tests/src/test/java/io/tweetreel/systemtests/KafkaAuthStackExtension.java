package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackConfig;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack as {@code ./tweetreel up --kafka-auth} runs it: a broker that takes only SCRAM-SHA-256 logins, the
 * registry and every service logging in with the stack's user (each learns it from the same environment variables
 * an operator would set), on free ports. Its own stack, apart from {@link PipelineStackExtension}'s.
 */
public class KafkaAuthStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = PipelineStackExtension.freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;

    @Override
    protected DevStackConfig config(Path stateDir) {
        return DevStackConfig.forTests(stateDir).withKafkaAuth(true);
    }

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env =
                new HashMap<>(ServiceProcess.sharedEnvironment("kafka-auth-test-filename-secret-0123", GATEWAY));
        env.put("WEBHOOK_SECRET", PipelineStackExtension.WEBHOOK_SECRET);
        return List.of(
                new ServiceProcess(ServiceModule.RENDERER, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.COMPOSER, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.STORAGE, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.NOTIFIER, 0, PipelineStackExtension.freePort(), root, env),
                new ServiceProcess(ServiceModule.GATEWAY, 0, GATEWAY_PORT, root, env));
    }
}
