package io.tweetreel.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * What every service's {@code main} does: build the service from the environment, refuse to start on
 * misconfiguration (exit 2 with a message naming the variables), run until SIGTERM, then stop gracefully.
 */
public final class ServiceLauncher {
    private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

    private ServiceLauncher() {}

    public static void run(String name, Callable<? extends AutoCloseable> start) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        AutoCloseable service;
        try {
            service = start.call();
        } catch (ConfigException e) {
            System.err.println(name + " refused to start. " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("{} failed to start: {}", name, e.getMessage(), e);
            System.err.println(name + " failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                            } catch (Exception e) {
                                log.warn("{} did not stop cleanly: {}", name, e.toString());
                            } finally {
                                stopped.countDown();
                            }
                        },
                        name + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
