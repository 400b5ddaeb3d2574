package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackComponent;
import io.tweetreel.devstack.StackEndpoints;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fault stack's services with the second composer on a machine of its own: a {@link NetworkNamespace} whose link
 * to the host a test can cut. It reaches Kafka, the registry and S3 through {@link TcpForwarder}s on both ends of the
 * link (inside, on its own 127.0.0.1, since Kafka advertises that), so everything it says to the cluster crosses
 * the link. Skipped where namespaces cannot be made (not root, no {@code ip netns}). The gateway's
 * {@code JOB_TIMEOUT} is {@value #JOB_TIMEOUT}, longer than a test's partition and the take-over after it, so a job
 * completes by the take-over and not by a re-drive.
 */
public class NetworkPartitionStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = PipelineStackExtension.freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;
    static final String JOB_TIMEOUT = "3m";
    private static volatile ServiceProcess cutOffComposer;
    private static volatile List<ServiceProcess> services = List.of();

    /** The composer inside the namespace. */
    static ServiceProcess cutOffComposer() {
        return cutOffComposer;
    }

    /** Every service of this stack: renderer, composers, storage, notifier, gateway. */
    static List<ServiceProcess> services() {
        return services;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<String> why = NetworkNamespace.whyUnavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "no network partition test here: " + why.orElse(""));
        super.beforeAll(context);
    }

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env = FaultStackExtension.environment(GATEWAY);
        ServiceProcess renderer =
                new ServiceProcess(ServiceModule.RENDERER, 0, PipelineStackExtension.freePort(), root, env);
        ServiceProcess composer =
                new ServiceProcess(ServiceModule.COMPOSER, 0, PipelineStackExtension.freePort(), root, env);
        cutOffComposer = new ServiceProcess(
                ServiceModule.COMPOSER, 1, PipelineStackExtension.freePort(), root, env, NetworkNamespace.launcher());
        ServiceProcess storage =
                new ServiceProcess(ServiceModule.STORAGE, 0, PipelineStackExtension.freePort(), root, env);
        ServiceProcess notifier = FaultStackExtension.notifier(env);
        Map<String, String> gatewayEnv = new HashMap<>(env);
        gatewayEnv.put("JOB_TIMEOUT", JOB_TIMEOUT);
        ServiceProcess gateway = new ServiceProcess(ServiceModule.GATEWAY, 0, GATEWAY_PORT, root, gatewayEnv);
        services = List.of(renderer, composer, cutOffComposer, storage, notifier, gateway);
        return List.of(renderer, composer, new InNamespace(cutOffComposer), storage, notifier, gateway);
    }

    /** A service in the {@link NetworkNamespace}, with the namespace and the forwarders it needs around it. */
    private static final class InNamespace implements StackComponent {
        private final ServiceProcess service;
        private volatile TcpForwarder hostEnd;
        private volatile TcpForwarder readiness;
        private volatile Process innerEnd;

        InNamespace(ServiceProcess service) {
            this.service = service;
        }

        @Override
        public String name() {
            return service.name();
        }

        @Override
        public String start(StackEndpoints endpoints) throws Exception {
            NetworkNamespace.create();
            List<Integer> ports = infrastructurePorts(endpoints);
            hostEnd = TcpForwarder.start(NetworkNamespace.HOST_ADDRESS, "127.0.0.1", ports);
            // the stack asks a service whether it is ready on 127.0.0.1; the service answers on all its addresses
            readiness = TcpForwarder.start("127.0.0.1", NetworkNamespace.INNER_ADDRESS, List.of(service.port()));
            innerEnd = startInnerEnd(endpoints, ports);
            return service.start(endpoints) + ", in network namespace " + NetworkNamespace.NAME;
        }

        private static List<Integer> infrastructurePorts(StackEndpoints endpoints) {
            List<Integer> ports = new ArrayList<>();
            for (String server : endpoints.bootstrapServers().split(",")) {
                ports.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
            }
            for (String url : List.of(endpoints.registryUrl(), endpoints.ccompatUrl(), endpoints.s3Endpoint())) {
                int port = URI.create(url).getPort();
                if (!ports.contains(port)) {
                    ports.add(port);
                }
            }
            return ports;
        }

        /** The namespace's end of the forwarding: a JVM inside it, listening on its 127.0.0.1. */
        private static Process startInnerEnd(StackEndpoints endpoints, List<Integer> ports) throws Exception {
            List<String> command = new ArrayList<>(NetworkNamespace.launcher());
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(
                    "-Xmx64m",
                    "-cp",
                    Path.of(TcpForwarder.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                            .toString(),
                    TcpForwarder.class.getName(),
                    "127.0.0.1",
                    NetworkNamespace.HOST_ADDRESS));
            ports.forEach(port -> command.add(port.toString()));
            Path log = endpoints.stateDir().resolve("logs").resolve("namespace-forwarder.log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!"ready".equals(first)) {
                process.destroyForcibly();
                throw new IllegalStateException("the forwarder in the namespace did not start; see " + log);
            }
            return process;
        }

        @Override
        public void stop() throws Exception {
            try {
                service.stop();
            } finally {
                if (innerEnd != null) {
                    innerEnd.destroyForcibly().waitFor();
                }
                if (hostEnd != null) {
                    hostEnd.close();
                }
                if (readiness != null) {
                    readiness.close();
                }
                NetworkNamespace.remove();
            }
        }
    }
}
