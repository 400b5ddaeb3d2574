package io.tweetreel.devstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka node running in this JVM in KRaft combined mode (broker + controller), listening on loopback only:
 * either the whole cluster (node id 1, what the dev stack runs by default), or one node of a cluster whose controller
 * quorum is a static set of voters ({@link #clusterNode}; {@link KafkaCluster} runs each in a JVM of its own). Every
 * topic is replicated to each node, and a write with {@code acks=all} needs a majority of them in sync, so a cluster
 * of three carries on without one of them. Its log directory is formatted on first start and reused afterwards, so
 * topics, records and the cluster id survive restarts.
 *
 * <p>With {@link KafkaScram} users, the client listener is SASL_PLAINTEXT: clients log in with SCRAM-SHA-256, and
 * only the broker's own user (configured on the broker, so it exists before any SCRAM user does) with PLAIN. The
 * broker uses that login for its requests to itself, and the dev stack for writing the SCRAM users at every start,
 * so a log directory formatted without them gets them. The Admin API cannot write them through the controller
 * listener, which stays PLAINTEXT on loopback.
 */
public final class EmbeddedKafka {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String TRANSACTION_VERSION = "transaction.version";
    /**
     * Version 1, not the 4.x default 2 (KIP-890 part 2, where the partition leader adds a partition to a transaction
     * on the producer's behalf): with 2, stopping the broker around a stage's send left the output in a transaction
     * its coordinator had already ended, freezing the partition (issue #12; BrokerRestartFaultTest). With 1 the
     * producer adds partitions itself and the leader still verifies them with the coordinator.
     */
    private static final short PIPELINE_TRANSACTION_VERSION = 1;
    /** Kafka's minimum for SCRAM-SHA-256, and what its own tools use by default. */
    private static final int SCRAM_ITERATIONS = 4096;

    private final Path logDir;
    private final int nodeId;
    private final int requestedPort;
    private final int requestedControllerPort;
    /** The controller port of each node of a cluster by node id, this one's included; null for a single node. */
    private final SortedMap<Integer, Integer> clusterControllerPorts;
    /** The id every node of a cluster is formatted with; null for a single node, which makes up its own. */
    private final String clusterId;
    /** Null for a PLAINTEXT client listener. */
    private final KafkaScram scram;

    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    /**
     * @param logDir         where the broker keeps its data (created if missing)
     * @param port           client listener port, 0 for a free one
     * @param controllerPort controller listener port, 0 for a free one
     */
    public EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this(logDir, port, controllerPort, null);
    }

    /** @param scram the users of a SASL_PLAINTEXT client listener; null for PLAINTEXT */
    public EmbeddedKafka(Path logDir, int port, int controllerPort, KafkaScram scram) {
        this(logDir, SINGLE_NODE_ID, port, controllerPort, null, null, scram);
    }

    private EmbeddedKafka(
            Path logDir,
            int nodeId,
            int port,
            int controllerPort,
            SortedMap<Integer, Integer> clusterControllerPorts,
            String clusterId,
            KafkaScram scram) {
        this.logDir = logDir.toAbsolutePath();
        this.nodeId = nodeId;
        this.requestedPort = port;
        this.requestedControllerPort = controllerPort;
        this.clusterControllerPorts = clusterControllerPorts;
        this.clusterId = clusterId;
        this.scram = scram;
    }

    /**
     * One node of a cluster with PLAINTEXT listeners.
     *
     * @param controllerPorts the controller port of every node by node id, this one's included: the static voters
     * @param clusterId       what a new log directory is formatted with, the same for every node
     */
    public static EmbeddedKafka clusterNode(
            Path logDir, int nodeId, int port, SortedMap<Integer, Integer> controllerPorts, String clusterId) {
        if (!controllerPorts.containsKey(nodeId) || port == 0 || controllerPorts.containsValue(0)) {
            throw new IllegalArgumentException(
                    "node " + nodeId + " needs fixed ports and a place among the voters " + controllerPorts.keySet());
        }
        return new EmbeddedKafka(
                logDir,
                nodeId,
                port,
                controllerPorts.get(nodeId),
                new TreeMap<>(controllerPorts),
                Objects.requireNonNull(clusterId, "clusterId"),
                null);
    }

    /**
     * Starts the broker and returns once it answers metadata requests. After {@link #stop()} it starts again on
     * the same ports, so clients that kept running reconnect to it (what the fault tests rely on).
     */
    public synchronized String start() throws Exception {
        if (server != null) {
            return bootstrapServers();
        }
        if (port == 0) {
            Ports.requireFree("Kafka", requestedPort);
            Ports.requireFree("Kafka controller", requestedControllerPort);
            port = Ports.resolve(requestedPort);
            controllerPort = Ports.resolve(requestedControllerPort);
        }
        Files.createDirectories(logDir);

        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        formatIfNeeded(config);
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raftServer.startup();
            server = raftServer;
            if (scram != null) {
                writeScramUsers(Duration.ofSeconds(60));
            }
            awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            server = null;
            shutdownQuietly(raftServer);
            throw e;
        }
        return bootstrapServers();
    }

    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        return Ports.LOOPBACK + ":" + port;
    }

    /** Security settings a client needs besides the address: the services' SCRAM login, or none. */
    public Map<String, String> clientSecurity() {
        return scram == null ? Map.of() : scram.clientSecurity();
    }

    /**
     * The broker inside this JVM, for fault tests that must reach past the protocol (see
     * {@link HangingTransactions}).
     */
    public synchronized kafka.server.BrokerServer broker() {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        try {
            var field = KafkaRaftServer.class.getDeclaredField("broker");
            field.setAccessible(true);
            return ((scala.Option<?>) field.get(server))
                    .map(b -> (kafka.server.BrokerServer) b)
                    .get();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Kafka version keeps its broker elsewhere", e);
        }
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer running = server;
        server = null;
        shutdownQuietly(running);
    }

    private Map<String, String> brokerProperties() {
        // values as strings: KafkaConfig parses each to its declared type (int, short, ...)
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(nodeId));
        // a static voter set (not --standalone) so the controller port may change between restarts
        Map<Integer, Integer> voters =
                clusterControllerPorts != null ? clusterControllerPorts : Map.of(nodeId, controllerPort);
        props.put(
                "controller.quorum.voters",
                voters.entrySet().stream()
                        .map(voter -> voter.getKey() + "@" + Ports.LOOPBACK + ":" + voter.getValue())
                        .collect(Collectors.joining(",")));
        // the client listener is named after its protocol
        String clientListener = scram == null ? "PLAINTEXT" : KafkaScram.PROTOCOL;
        props.put(
                "listeners",
                clientListener + "://" + Ports.LOOPBACK + ":" + port + "," + CONTROLLER_LISTENER + "://"
                        + Ports.LOOPBACK + ":" + controllerPort);
        props.put("advertised.listeners", clientListener + "://" + Ports.LOOPBACK + ":" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", clientListener);
        props.put(
                "listener.security.protocol.map",
                clientListener + ":" + clientListener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        if (scram != null) {
            // SCRAM's users live in the cluster metadata, so they cannot exist before the broker runs; the broker's
            // own PLAIN user is in its configuration
            props.put("sasl.enabled.mechanisms", KafkaScram.MECHANISM + "," + KafkaScram.BROKER_MECHANISM);
            props.put("sasl.mechanism.inter.broker.protocol", KafkaScram.BROKER_MECHANISM);
            String listenerPrefix = "listener.name." + clientListener.toLowerCase(Locale.ROOT) + ".";
            props.put(listenerPrefix + "plain.sasl.jaas.config", scram.brokerJaasConfig());
            // every enabled mechanism needs a login section; SCRAM's server side takes no options
            props.put(
                    listenerPrefix + KafkaScram.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        props.put("log.dirs", logDir.toString());
        // Every topic on every node, the internal ones too. An acks=all write needs a majority in sync: on three
        // nodes two, so one node may be lost without stopping a producer. One node: nothing can be replicated, and
        // clients must not wait for replicas that will never exist.
        String replicas = String.valueOf(voters.size());
        String minInsync = String.valueOf(voters.size() / 2 + 1);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minInsync);
        // The log cleaner's offset map is a heap buffer filled on start: 128 MiB by default, the largest thing in
        // this JVM's heap (measured: 139 of 198 MiB live). 8 MiB still maps about 300 000 keys per cleaning pass,
        // far more than a dev stack's compacted topics (status, changelogs) hold between passes.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        // consumers (and Kafka Streams) join at once instead of after the 3 s default delay
        props.put("group.initial.rebalance.delay.ms", "0");
        // 10 instead of 50 partitions each: start-up loads every one of them, and one laptop needs few. Fixed when
        // the topics are first created; keep these values for an existing state directory.
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.num.partitions", "10");
        return props;
    }

    /** Formats the log directory unless it already holds a {@code meta.properties} (then its cluster id stays). */
    private void formatIfNeeded(KafkaConfig config) throws Exception {
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        String formattedId = clusterId != null ? clusterId : Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(nodeId)
                    .setClusterId(formattedId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toString())
                    .setFeatureLevel(TRANSACTION_VERSION, PIPELINE_TRANSACTION_VERSION)
                    .run();
        }
        log.info("Formatted Kafka log directory {} (cluster id {})", logDir, formattedId);
        log.debug(
                "Formatter output: {}", output.toString(StandardCharsets.UTF_8).trim());
    }

    /** Creates or updates the services' SCRAM user, logged in as the broker's own user. */
    private void writeScramUsers(Duration timeout) throws Exception {
        Map<String, Object> adminConfig = new HashMap<>(scram.brokerClientSecurity());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            ScramCredentialInfo sha256 = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, SCRAM_ITERATIONS);
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialUpsertion(scram.user(), sha256, scram.password())))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("SCRAM user {} written", scram.user());
    }

    private void awaitReady(Duration timeout) throws Exception {
        Map<String, Object> adminConfig = new HashMap<>(clientSecurity());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            if (brokers < 1) {
                throw new IllegalStateException("Kafka started but reports no live broker");
            }
            // a state directory formatted by an earlier dev stack runs version 2: lower it (a safe downgrade)
            var finalized = admin.describeFeatures()
                    .featureMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .finalizedFeatures()
                    .get(TRANSACTION_VERSION);
            if (finalized != null && finalized.maxVersionLevel() > PIPELINE_TRANSACTION_VERSION) {
                admin.updateFeatures(
                                Map.of(
                                        TRANSACTION_VERSION,
                                        new FeatureUpdate(
                                                PIPELINE_TRANSACTION_VERSION,
                                                FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                                new UpdateFeaturesOptions())
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info(
                        "transaction.version lowered from {} to {}",
                        finalized.maxVersionLevel(),
                        PIPELINE_TRANSACTION_VERSION);
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer raftServer) {
        try {
            raftServer.shutdown();
            raftServer.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka did not shut down cleanly", e);
        }
    }
}
