package io.tweetreel.devstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The users of a dev-stack broker started with {@code --kafka-auth}: the SCRAM-SHA-256 user of the services (and of
 * any client the user points at the stack), and the broker's own PLAIN user, which it logs in with to itself
 * (transaction markers go through its own listener) and the dev stack writes the SCRAM user with. Passwords are
 * generated once per state directory and kept there, mode 600, so clients configured from an earlier run keep
 * working.
 *
 * @param user           the services' user name
 * @param password       its password
 * @param brokerPassword the password of the broker's own user {@link #BROKER_USER}
 */
public record KafkaScram(String user, String password, String brokerPassword) {

    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String SERVICES_USER = "tweetreel";
    public static final String BROKER_USER = "broker";
    /** The protocol of the broker's client listener, and its listener name. */
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    /**
     * The broker's own user is checked against the broker's configuration: SCRAM users live in the cluster metadata,
     * so none exists before the broker runs.
     */
    static final String BROKER_MECHANISM = "PLAIN";

    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    public KafkaScram {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(brokerPassword, "brokerPassword");
    }

    /** The users of the broker whose state is in {@code stateDir}: passwords from there, made on first use. */
    public static KafkaScram keptIn(Path stateDir) throws IOException {
        return new KafkaScram(
                SERVICES_USER,
                TweetReelCli.keptSecret(
                        stateDir.resolve("kafka-password"), () -> HexFormat.of().formatHex(TweetReelCli.randomBytes())),
                TweetReelCli.keptSecret(
                        stateDir.resolve("kafka-broker-password"),
                        () -> HexFormat.of().formatHex(TweetReelCli.randomBytes())));
    }

    /** Kafka client properties that log in as the services' user (without the brokers' address). */
    public Map<String, String> clientSecurity() {
        Map<String, String> security = new LinkedHashMap<>();
        security.put("security.protocol", PROTOCOL);
        security.put("sasl.mechanism", MECHANISM);
        security.put(
                "sasl.jaas.config",
                jaasConfig("org.apache.kafka.common.security.scram.ScramLoginModule", user, password));
        return security;
    }

    /** Client properties that log in as the broker's own user. */
    Map<String, String> brokerClientSecurity() {
        Map<String, String> security = new LinkedHashMap<>();
        security.put("security.protocol", PROTOCOL);
        security.put("sasl.mechanism", BROKER_MECHANISM);
        security.put("sasl.jaas.config", jaasConfig(PLAIN_LOGIN, BROKER_USER, brokerPassword));
        return security;
    }

    /**
     * The broker's side of its listener's PLAIN logins, as {@code sasl.jaas.config} takes it: its own login (for its
     * requests to itself) and its only PLAIN user, itself.
     */
    String brokerJaasConfig() {
        String login = jaasConfig(PLAIN_LOGIN, BROKER_USER, brokerPassword);
        return login.substring(0, login.length() - 1) + " user_" + BROKER_USER + "=\"" + brokerPassword + "\";";
    }

    private static String jaasConfig(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /**
     * Writes {@code properties} to {@code file} in {@link Properties} format (escaped as Kafka's tools and Quarkus
     * read it), readable by the owner only from the moment it exists: it holds a password.
     */
    static void writePrivately(Path file, Map<String, String> properties, String comment) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Properties content = new Properties();
        content.putAll(properties);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            content.store(out, comment);
        }
    }

    @Override
    public String toString() {
        // the passwords stay out of logs and assertion messages
        return "KafkaScram[user=" + user + ", mechanism=" + MECHANISM + "]";
    }
}
