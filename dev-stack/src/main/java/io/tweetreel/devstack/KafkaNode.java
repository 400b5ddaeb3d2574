package io.tweetreel.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link KafkaCluster}, the only thing in its JVM, so that a test can kill it with SIGKILL:
 * {@code KafkaNode NODE_ID LOG_DIR PORT CLUSTER_ID READY_FILE ID=CONTROLLER_PORT,...}. It creates the ready file
 * once the node serves clients, stops on SIGTERM, and also when the JVM that started it ends, however that ended.
 */
public final class KafkaNode {

    private static final Logger log = LoggerFactory.getLogger(KafkaNode.class);

    private KafkaNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("Usage: KafkaNode NODE_ID LOG_DIR PORT CLUSTER_ID READY_FILE ID=CONTROLLER_PORT,...");
            System.exit(2);
        }
        int nodeId = Integer.parseInt(args[0]);
        SortedMap<Integer, Integer> controllerPorts = new TreeMap<>();
        for (String voter : args[5].split(",")) {
            String[] idAndPort = voter.split("=");
            controllerPorts.put(Integer.parseInt(idAndPort[0]), Integer.parseInt(idAndPort[1]));
        }
        EmbeddedKafka node = EmbeddedKafka.clusterNode(
                Path.of(args[1]), nodeId, Integer.parseInt(args[2]), controllerPorts, args[3]);
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "kafka-node-stop"));
        // the stack stops its nodes itself; this covers a stack that was killed (kill -9) and could not
        ProcessHandle.current()
                .parent()
                .ifPresent(parent -> parent.onExit().thenRun(() -> {
                    log.warn("The dev stack that started Kafka node {} ended; stopping", nodeId);
                    System.exit(0);
                }));
        node.start();
        Files.createFile(Path.of(args[4]));
        log.info("Kafka node {} ready on {}", nodeId, node.bootstrapServers());
        new CountDownLatch(1).await();
    }
}
