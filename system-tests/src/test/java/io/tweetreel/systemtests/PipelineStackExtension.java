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
 * The dev stack with the services on top, each its own OS process started from its build output, on free ports:
 * the product as an operator runs it. Shared by every test class of the run. The notifier delivers to loopback
 * receivers ({@code WEBHOOK_ALLOW_PRIVATE_HOSTS}) on a short retry schedule and timeout, so a webhook test sees
 * every kind of retry within seconds; it can be killed and restarted ({@link #notifier()}).
 */
public class PipelineStackExtension extends DevStackExtension {
    static final int GATEWAY_PORT = freePort();
    static final String GATEWAY = "http://127.0.0.1:" + GATEWAY_PORT;
    /** What the stack's notifier signs with, in the Standard Webhooks form (a 33-byte key). */
    static final String WEBHOOK_SECRET = "whsec_c3lzdGVtLXRlc3Qtd2ViaG9vay1rZXktMzItYnl0ZXMh";
    /** Delays between attempts: the long last one leaves time to kill the notifier while an attempt is due. */
    static final String WEBHOOK_RETRY_SCHEDULE = "1s,1s,5s";

    static final String WEBHOOK_TIMEOUT = "2s";
    private static volatile ServiceProcess notifier;
    private static volatile ServiceProcess composer;

    /** The stack's only composer, whose FFmpeg children a test can look for. */
    static ServiceProcess composer() {
        return composer;
    }

    /** The stack's notifier; the same object the stack stops at the end, so killing and restarting it is safe. */
    static ServiceProcess notifier() {
        return notifier;
    }

    @Override
    protected List<StackComponent> components() {
        var root = ServiceModule.repoRoot();
        Map<String, String> env = new java.util.HashMap<>(
                ServiceProcess.sharedEnvironment("system-test-filename-secret-0123456789", GATEWAY));
        env.put("LOG_LEVEL", "INFO");
        env.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("WEBHOOK_ALLOW_PRIVATE_HOSTS", "true");
        env.put("WEBHOOK_RETRY_SCHEDULE", WEBHOOK_RETRY_SCHEDULE);
        env.put("WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT);
        // MotionSystemTest serves a reel's music from loopback
        env.put("COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS", "true");
        notifier = new ServiceProcess(ServiceModule.NOTIFIER, 0, freePort(), root, env);
        composer = new ServiceProcess(ServiceModule.COMPOSER, 0, freePort(), root, env);
        return List.of(
                new ServiceProcess(ServiceModule.RENDERER, 0, freePort(), root, env),
                composer,
                new ServiceProcess(ServiceModule.STORAGE, 0, freePort(), root, env),
                notifier,
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
