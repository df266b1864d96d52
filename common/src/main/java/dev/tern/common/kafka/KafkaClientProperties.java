package dev.tern.common.kafka;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.eclipse.microprofile.config.Config;

/**
 * Standard Kafka client properties from configuration, passed unchanged to every producer,
 * consumer and admin client Tern makes (docs/ARCHITECTURE.md, "Kafka security"): how to reach a
 * secured cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) is the operator's
 * business, in Kafka's own words.
 *
 * <p>Read from {@code tern.kafka.properties.<kafka.name>} (any config source) and from the
 * environment as {@code TERN_KAFKA_PROPERTIES_<NAME>}, NAME being the Kafka name upper-cased with
 * {@code .} as {@code _}. That mapping is unambiguous because no Kafka client property has an
 * underscore in its name. Properties that carry Tern's durability rules, sizes or identity
 * ({@link #RESERVED}) and names no Kafka client knows are refused at start, naming the key. A
 * property goes only to the client types that define it, so an admin client is not handed
 * producer settings (and Kafka does not warn about unknown ones).
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "tern.kafka.properties.";
    public static final String ENV_PREFIX = "TERN_KAFKA_PROPERTIES_";

    /**
     * Set by Tern itself ({@link KafkaClients} and the services' own tuning keys): durability, sizes,
     * serialization, identity and timeouts. Refused rather than silently overwritten.
     */
    static final Set<String> RESERVED = Set.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, CommonClientConfigs.CLIENT_ID_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.RETRIES_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.PARTITIONER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.LINGER_MS_CONFIG, ProducerConfig.MAX_BLOCK_MS_CONFIG,
            CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            "interceptor.classes");

    private static final String HIDDEN = "[hidden]";

    private final Map<String, String> values;

    private KafkaClientProperties(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** No extra properties: a PLAINTEXT cluster. */
    public static KafkaClientProperties none() {
        return new KafkaClientProperties(Map.of());
    }

    /**
     * These Kafka properties, checked.
     *
     * @throws IllegalArgumentException naming the first key that is reserved or unknown to Kafka
     */
    public static KafkaClientProperties of(Map<String, String> kafkaProperties) {
        for (String key : new TreeMap<>(kafkaProperties).keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException(PREFIX + key + " is not allowed: Tern sets " + key
                        + " itself (docs/ARCHITECTURE.md, \"Kafka security\")");
            }
            if (!ProducerConfig.configNames().contains(key) && !ConsumerConfig.configNames().contains(key)
                    && !AdminClientConfig.configNames().contains(key)) {
                throw new IllegalArgumentException(PREFIX + key + " is not a Kafka client property");
            }
        }
        return new KafkaClientProperties(kafkaProperties);
    }

    /** The properties configured in {@code config}, from every source including the environment. */
    public static KafkaClientProperties fromConfig(Config config) {
        return from(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
    }

    /**
     * The properties named in {@code configNames} ({@code tern.kafka.properties.*} or
     * {@code TERN_KAFKA_PROPERTIES_*}), each value read through {@code lookup} under its dotted
     * name, which a MicroProfile config also finds in the environment in upper-case form.
     */
    static KafkaClientProperties from(Iterable<String> configNames, Function<String, Optional<String>> lookup) {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : configNames) {
            kafkaName(name).ifPresent(keys::add);
        }
        Map<String, String> found = new TreeMap<>();
        for (String key : keys) {
            lookup.apply(PREFIX + key).ifPresent(v -> found.put(key, v));
        }
        return of(found);
    }

    /** The Kafka property a configuration name stands for, if it is one of ours. */
    static Optional<String> kafkaName(String configName) {
        if (configName.startsWith(PREFIX) && configName.length() > PREFIX.length()) {
            return Optional.of(configName.substring(PREFIX.length()));
        }
        if (configName.startsWith(ENV_PREFIX) && configName.length() > ENV_PREFIX.length()) {
            return Optional.of(configName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return Optional.empty();
    }

    /** The Kafka properties, unmasked: hand them to Kafka only, never to a log. */
    public Map<String, String> values() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    void applyToProducer(Properties p) {
        applyTo(p, ProducerConfig.configNames());
    }

    void applyToConsumer(Properties p) {
        applyTo(p, ConsumerConfig.configNames());
    }

    void applyToAdmin(Properties p) {
        applyTo(p, AdminClientConfig.configNames());
    }

    private void applyTo(Properties p, Set<String> known) {
        values.forEach((k, v) -> {
            if (known.contains(k)) {
                p.put(k, v);
            }
        });
    }

    /** For logs: every key, and values of secrets (Kafka's PASSWORD types, anything named like one) hidden. */
    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? HIDDEN : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.contains("password") || lower.contains("jaas") || lower.contains("secret")) {
            return true;
        }
        for (ConfigDef def : new ConfigDef[] {ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef()}) {
            ConfigDef.ConfigKey configKey = def.configKeys().get(key);
            if (configKey != null && configKey.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }
}
