package io.tweetreel.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Where Kafka is and how every client of a service authenticates to it: the brokers and the standard client
 * security settings (SASL, TLS), read from the environment. Every producer, consumer, admin client and Kafka Streams
 * instance a service builds starts from {@link #properties()}, so none can reach the brokers without the
 * credentials; Kafka Streams hands the same settings on to the clients it builds inside.
 *
 * @param bootstrapServers the brokers, {@code host:port,...}
 * @param security         Kafka client properties ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}); empty
 *                         for Kafka's defaults (PLAINTEXT)
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> security) {

    public static final ConfigVariable KAFKA_BOOTSTRAP_SERVERS =
            ConfigVariable.withDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "Kafka brokers");
    public static final ConfigVariable KAFKA_SECURITY_PROTOCOL = ConfigVariable.derived(
            "KAFKA_SECURITY_PROTOCOL",
            "PLAINTEXT",
            "how clients talk to Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
    public static final ConfigVariable KAFKA_SASL_MECHANISM = ConfigVariable.derived(
            "KAFKA_SASL_MECHANISM",
            "GSSAPI",
            "SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI");
    public static final ConfigVariable KAFKA_SASL_JAAS_CONFIG = ConfigVariable.derived(
            "KAFKA_SASL_JAAS_CONFIG",
            "not set",
            "the client's JAAS login (secret, never logged); required with SASL_*");
    public static final ConfigVariable KAFKA_SSL_TRUSTSTORE_LOCATION = ConfigVariable.derived(
            "KAFKA_SSL_TRUSTSTORE_LOCATION",
            "the JVM's CA certificates",
            "file of the CAs that sign the brokers' certificates");
    public static final ConfigVariable KAFKA_SSL_TRUSTSTORE_PASSWORD =
            ConfigVariable.derived("KAFKA_SSL_TRUSTSTORE_PASSWORD", "not set", "password of the trust store");
    public static final ConfigVariable KAFKA_SSL_TRUSTSTORE_TYPE =
            ConfigVariable.derived("KAFKA_SSL_TRUSTSTORE_TYPE", "JKS", "JKS, PKCS12 or PEM");
    public static final ConfigVariable KAFKA_SSL_KEYSTORE_LOCATION = ConfigVariable.derived(
            "KAFKA_SSL_KEYSTORE_LOCATION", "not set", "file of the client's certificate and key, for mutual TLS");
    public static final ConfigVariable KAFKA_SSL_KEYSTORE_PASSWORD =
            ConfigVariable.derived("KAFKA_SSL_KEYSTORE_PASSWORD", "not set", "password of the key store");
    public static final ConfigVariable KAFKA_SSL_KEYSTORE_TYPE =
            ConfigVariable.derived("KAFKA_SSL_KEYSTORE_TYPE", "JKS", "JKS, PKCS12 or PEM");
    public static final ConfigVariable KAFKA_SSL_KEY_PASSWORD =
            ConfigVariable.derived("KAFKA_SSL_KEY_PASSWORD", "not set", "password of the key in the key store");
    public static final ConfigVariable KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = ConfigVariable.derived(
            "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM",
            "https",
            "https checks the broker's host name against its certificate; none turns the check off");

    public static final List<ConfigVariable> VARIABLES = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            KAFKA_SECURITY_PROTOCOL,
            KAFKA_SASL_MECHANISM,
            KAFKA_SASL_JAAS_CONFIG,
            KAFKA_SSL_TRUSTSTORE_LOCATION,
            KAFKA_SSL_TRUSTSTORE_PASSWORD,
            KAFKA_SSL_TRUSTSTORE_TYPE,
            KAFKA_SSL_KEYSTORE_LOCATION,
            KAFKA_SSL_KEYSTORE_PASSWORD,
            KAFKA_SSL_KEYSTORE_TYPE,
            KAFKA_SSL_KEY_PASSWORD,
            KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS =
            List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI");
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12", "PEM");
    /** Values shown as {@code [hidden]} by {@link #toString()}. */
    private static final Set<String> SECRETS = Set.of(
            SaslConfigs.SASL_JAAS_CONFIG,
            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
            SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            SslConfigs.SSL_KEY_PASSWORD_CONFIG);

    public KafkaClientSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        security = Map.copyOf(security);
    }

    /**
     * Reads the brokers and security settings, recording in {@code env} every setting that is unknown, missing or
     * contradicts another (a SASL protocol without a login, a trust store file that is not there), so the service
     * refuses to start instead of failing to connect later. A problem never quotes a secret.
     */
    public static KafkaClientSettings read(EnvConfig env) {
        String bootstrapServers = env.string(KAFKA_BOOTSTRAP_SERVERS);
        String protocol = upper(env.string(KAFKA_SECURITY_PROTOCOL));
        String mechanism = upper(env.string(KAFKA_SASL_MECHANISM));
        String jaasConfig = env.string(KAFKA_SASL_JAAS_CONFIG);
        String truststoreLocation = env.string(KAFKA_SSL_TRUSTSTORE_LOCATION);
        String truststorePassword = env.string(KAFKA_SSL_TRUSTSTORE_PASSWORD);
        String truststoreType = upper(env.string(KAFKA_SSL_TRUSTSTORE_TYPE));
        String keystoreLocation = env.string(KAFKA_SSL_KEYSTORE_LOCATION);
        String keystorePassword = env.string(KAFKA_SSL_KEYSTORE_PASSWORD);
        String keystoreType = upper(env.string(KAFKA_SSL_KEYSTORE_TYPE));
        String keyPassword = env.string(KAFKA_SSL_KEY_PASSWORD);
        String endpointIdentification = env.string(KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);

        Map<String, String> security = new LinkedHashMap<>();
        if (protocol != null) {
            if (oneOf(env, KAFKA_SECURITY_PROTOCOL, protocol, PROTOCOLS)) {
                security.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
            }
        }
        boolean sasl = protocol != null && protocol.startsWith("SASL_");
        boolean tls = "SSL".equals(protocol) || "SASL_SSL".equals(protocol);

        if (sasl && jaasConfig == null) {
            env.problem(KAFKA_SASL_JAAS_CONFIG.name() + " is required with " + KAFKA_SECURITY_PROTOCOL.name() + "="
                    + protocol + ": the client's login, e.g. org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required username=\"...\" password=\"...\";");
        }
        if (!sasl) {
            unusedWithout(env, "SASL_PLAINTEXT or SASL_SSL", protocol, KAFKA_SASL_MECHANISM, mechanism);
            unusedWithout(env, "SASL_PLAINTEXT or SASL_SSL", protocol, KAFKA_SASL_JAAS_CONFIG, jaasConfig);
        } else {
            if (mechanism != null && oneOf(env, KAFKA_SASL_MECHANISM, mechanism, MECHANISMS)) {
                security.put(SaslConfigs.SASL_MECHANISM, mechanism);
            }
            if (jaasConfig != null && checkJaasConfig(env, jaasConfig, mechanism)) {
                security.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig);
            }
        }

        Map<ConfigVariable, String> tlsSettings = new LinkedHashMap<>();
        tlsSettings.put(KAFKA_SSL_TRUSTSTORE_LOCATION, truststoreLocation);
        tlsSettings.put(KAFKA_SSL_TRUSTSTORE_PASSWORD, truststorePassword);
        tlsSettings.put(KAFKA_SSL_TRUSTSTORE_TYPE, truststoreType);
        tlsSettings.put(KAFKA_SSL_KEYSTORE_LOCATION, keystoreLocation);
        tlsSettings.put(KAFKA_SSL_KEYSTORE_PASSWORD, keystorePassword);
        tlsSettings.put(KAFKA_SSL_KEYSTORE_TYPE, keystoreType);
        tlsSettings.put(KAFKA_SSL_KEY_PASSWORD, keyPassword);
        tlsSettings.put(KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, endpointIdentification);
        if (!tls) {
            tlsSettings.forEach((variable, value) -> unusedWithout(env, "SSL or SASL_SSL", protocol, variable, value));
        } else {
            putFile(
                    env,
                    security,
                    SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                    KAFKA_SSL_TRUSTSTORE_LOCATION,
                    truststoreLocation);
            putIfSet(security, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
            if (truststoreType != null && oneOf(env, KAFKA_SSL_TRUSTSTORE_TYPE, truststoreType, STORE_TYPES)) {
                security.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType);
            }
            putFile(
                    env,
                    security,
                    SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
                    KAFKA_SSL_KEYSTORE_LOCATION,
                    keystoreLocation);
            putIfSet(security, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystorePassword);
            if (keystoreType != null && oneOf(env, KAFKA_SSL_KEYSTORE_TYPE, keystoreType, STORE_TYPES)) {
                security.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keystoreType);
            }
            putIfSet(security, SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword);
            if (endpointIdentification != null) {
                switch (endpointIdentification.toLowerCase(Locale.ROOT)) {
                    case "https" -> security.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
                    // Kafka turns the check off with an empty value, which an environment variable cannot
                    // tell apart from an unset one
                    case "none" -> security.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
                    default ->
                        env.problem(KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM.name() + "=" + endpointIdentification
                                + " is not valid: expected https or none");
                }
            }
        }
        return new KafkaClientSettings(bootstrapServers, security);
    }

    /** A fresh, mutable set of client properties: the brokers and the security settings; add the client's own. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(security);
        return properties;
    }

    @Override
    public String toString() {
        // the login and the store passwords are secrets: never in a log line or an assertion message
        String shown = security.entrySet().stream()
                .map(e -> e.getKey() + "=" + (SECRETS.contains(e.getKey()) ? "[hidden]" : e.getValue()))
                .sorted()
                .collect(Collectors.joining(", ", "{", "}"));
        return "KafkaClientSettings[bootstrapServers=" + bootstrapServers + ", security=" + shown + "]";
    }

    /**
     * A JAAS config Kafka would reject at the first connection, or one whose login module cannot do the mechanism
     * (a SCRAM login with the PLAIN mechanism fails as a bare authentication error).
     */
    private static boolean checkJaasConfig(EnvConfig env, String jaasConfig, String mechanism) {
        String name = KAFKA_SASL_JAAS_CONFIG.name();
        if (!jaasConfig.endsWith(";") || !jaasConfig.contains(" required")) {
            env.problem(name + " is not valid: expected '<LoginModule class> required <option>=\"...\" ...;'"
                    + " (the value is not shown: it holds a secret)");
            return false;
        }
        String effectiveMechanism = mechanism == null ? "GSSAPI" : mechanism;
        boolean scramLogin = jaasConfig.contains("ScramLoginModule");
        boolean plainLogin = jaasConfig.contains("PlainLoginModule");
        if ((scramLogin && !effectiveMechanism.startsWith("SCRAM-"))
                || (plainLogin && !effectiveMechanism.equals("PLAIN"))) {
            env.problem(name + " logs in with " + (scramLogin ? "ScramLoginModule" : "PlainLoginModule")
                    + ", which does not do " + KAFKA_SASL_MECHANISM.name() + "=" + effectiveMechanism
                    + (mechanism == null ? " (Kafka's default): set " + KAFKA_SASL_MECHANISM.name() : ""));
            return false;
        }
        return true;
    }

    private static boolean oneOf(EnvConfig env, ConfigVariable variable, String value, List<String> accepted) {
        if (accepted.contains(value)) {
            return true;
        }
        env.problem(variable.name() + "=" + value + " is not valid: expected one of " + String.join(", ", accepted));
        return false;
    }

    /** A setting that would be silently ignored with this protocol: a sign the protocol is not the one meant. */
    private static void unusedWithout(
            EnvConfig env, String protocols, String protocol, ConfigVariable variable, String value) {
        if (value != null) {
            env.problem(variable.name() + " is set but " + KAFKA_SECURITY_PROTOCOL.name() + " is "
                    + (protocol == null ? "not set (PLAINTEXT)" : protocol) + ": it applies only with " + protocols);
        }
    }

    private static void putFile(
            EnvConfig env, Map<String, String> security, String property, ConfigVariable variable, String location) {
        if (location == null) {
            return;
        }
        if (!Files.isReadable(Path.of(location))) {
            env.problem(variable.name() + "=" + location + " is not valid: no readable file there");
            return;
        }
        security.put(property, location);
    }

    private static void putIfSet(Map<String, String> security, String property, String value) {
        if (value != null) {
            security.put(property, value);
        }
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }
}
