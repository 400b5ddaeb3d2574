package io.tweetreel.devstack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving tests the dev stack: started once per test JVM (on the first test class that uses it)
 * on free ports with a temporary state directory, shared by every test class, and stopped when the test run ends.
 * Test methods and constructors can take a {@link StackEndpoints} (or the {@link DevStack}) parameter.
 *
 * <pre>{@code
 * @ExtendWith(DevStackExtension.class)
 * class MyTest {
 *     @Test
 *     void works(StackEndpoints stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * To run components (e.g. the services) on top of the infrastructure, subclass it and override
 * {@link #components()}; each subclass gets its own stack.
 *
 * <p>The build sends test output to files, not to the console: the services' and the registry's logs are copied
 * to {@link #keptLogs()} when the run ends; the test JVM's own output, which includes the in-process broker and S3
 * server, is in {@code target/surefire-reports/<test class>-output.txt}, which also says where the stack's logs are.
 */
public class DevStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(DevStackExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DevStackExtension.class);

    /** How to run the stack in {@code stateDir}: free ports by default; override for e.g. a SCRAM broker. */
    protected DevStackConfig config(Path stateDir) {
        return DevStackConfig.forTests(stateDir);
    }

    /** What to run on top of the infrastructure; none by default. */
    protected List<StackComponent> components() {
        return List.of();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // start before any test of the class, so start-up time is not charged to the first test's timeout
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == StackEndpoints.class || type == DevStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        DevStack stack = stack(extensionContext);
        return parameterContext.getParameter().getType() == DevStack.class ? stack : stack.endpoints();
    }

    /**
     * The shared stack of this extension class, started on first use. Starting one stops the stack of any other
     * extension class first: one stack at a time keeps a run of many stacks from slowing down under the idle ones
     * (a machine has two cores). {@link ClassesByStack} orders test classes so each stack starts once.
     */
    protected DevStack stack(ExtensionContext context) {
        // the root store lives as long as the test run and closes what it holds at the end
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        String key = getClass().getName();
        synchronized (DevStackExtension.class) {
            SharedStack running = store.get(key, SharedStack.class);
            if (running != null) {
                return running.stack();
            }
            for (String other : STARTED) {
                SharedStack stopped = store.remove(other, SharedStack.class);
                if (stopped != null) {
                    log.info("Stopping the stack of {} to start the one of {}", other, key);
                    stopped.close();
                }
            }
            STARTED.clear();
            SharedStack started = startShared();
            store.put(key, started);
            STARTED.add(key);
            return started.stack();
        }
    }

    /** Extension classes whose stack is running in this JVM (at most one). */
    private static final Set<String> STARTED = new LinkedHashSet<>();

    /** Where the logs of this extension's stack are kept after the run (the state directory itself is deleted). */
    public Path keptLogs() {
        return keptLogs(getClass());
    }

    public static Path keptLogs(Class<? extends DevStackExtension> extension) {
        return Path.of("target", "stack-logs", extension.getSimpleName()).toAbsolutePath();
    }

    private SharedStack startShared() {
        Path stateDir = null;
        try {
            stateDir = Files.createTempDirectory("tweetreel-devstack-");
            DevStack stack = new DevStack(config(stateDir), components(), log::info);
            stack.start();
            log.info(
                    "Dev stack for {} in {}; its logs are copied to {} when the test run ends",
                    getClass().getSimpleName(),
                    stateDir,
                    keptLogs());
            return new SharedStack(stack, stateDir, keptLogs());
        } catch (Exception e) {
            deleteQuietly(stateDir);
            throw new IllegalStateException("the dev stack could not start: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete the test stack's state directory {}", dir, e);
        }
    }

    /**
     * Holder closed by JUnit at the end of the run. AutoCloseable is what JUnit 5.13+ closes;
     * CloseableResource keeps older JUnit versions working (5.13+ ignores it when AutoCloseable is there).
     */
    @SuppressWarnings("deprecation")
    private record SharedStack(DevStack stack, Path stateDir, Path keptLogs)
            implements AutoCloseable, ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            try {
                stack.close();
            } finally {
                keepLogs();
                deleteQuietly(stateDir);
            }
        }

        private void keepLogs() {
            Path logs = stateDir.resolve("logs");
            if (!Files.isDirectory(logs)) {
                return;
            }
            try (var files = Files.list(logs)) {
                Files.createDirectories(keptLogs);
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, keptLogs.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                log.info("Stack logs kept in {}", keptLogs);
            } catch (IOException e) {
                log.warn("Could not keep the test stack's logs in {}", keptLogs, e);
            }
        }
    }
}
