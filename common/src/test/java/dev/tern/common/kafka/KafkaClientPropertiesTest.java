package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.config.TernConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"tern\" password=\"s3cret\";";

    private static SmallRyeConfig config(Map<String, String> env, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .build();
    }

    @Test
    void environmentNamesMapToKafkaNamesUpperCasedWithDotsAsUnderscores() {
        assertThat(KafkaClientProperties.kafkaName("TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION"))
                .contains("ssl.truststore.location");
        assertThat(KafkaClientProperties.kafkaName("tern.kafka.properties.sasl.jaas.config")).contains("sasl.jaas.config");
        assertThat(KafkaClientProperties.kafkaName("tern.kafka.bootstrap-servers")).isEmpty();
        assertThat(KafkaClientProperties.kafkaName("TERN_KAFKA_PROPERTIES_")).isEmpty();
        assertThat(KafkaClientProperties.kafkaName("TERN_KAFKA_BOOTSTRAP_SERVERS")).isEmpty();
    }

    @Test
    void readsEnvironmentAndPropertiesUnchanged() {
        var props = KafkaClientProperties.fromConfig(config(
                Map.of("TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                        "TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                        "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PEM",
                        "UNRELATED", "x"),
                Map.of("tern.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                        "tern.kafka.properties.ssl.truststore.location", "/etc/tern/kafka/ca.crt",
                        "tern.kafka.bootstrap-servers", "kafka:9093")));
        assertThat(props.values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS,
                "ssl.truststore.type", "PEM", "ssl.truststore.location", "/etc/tern/kafka/ca.crt"));
    }

    @Test
    void theNamesAreKnownToTernsConfigMappingSoAServiceStartsWithThem() {
        var config = new SmallRyeConfigBuilder()
                .withMapping(TernConfig.class)
                .withConverter(java.time.Duration.class, 100, new DurationConverter())
                .withValidateUnknown(true)
                .withSources(new EnvConfigSource(Map.of("TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS), 300))
                .withSources(new PropertiesConfigSource(Map.of("tern.kafka.properties.security.protocol", "SASL_SSL",
                        "tern.kafka.properties.ssl.truststore.location", "/etc/tern/kafka/ca.crt"), "sys", 400))
                .build();
        assertThat(KafkaClientProperties.fromConfig(config).values()).containsOnlyKeys("security.protocol",
                "ssl.truststore.location", "sasl.jaas.config");
    }

    @Test
    void theEnvironmentOverridesApplicationPropertiesAsEverywhereElse() {
        var props = KafkaClientProperties.fromConfig(config(
                Map.of("TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SSL"),
                Map.of("tern.kafka.properties.security.protocol", "PLAINTEXT")));
        assertThat(props.values()).containsExactlyEntriesOf(Map.of("security.protocol", "SSL"));
    }

    @Test
    void durabilitySettingsAreRefusedNamingTheKey() {
        for (String key : new String[] {"acks", "enable.idempotence", "enable.auto.commit", "isolation.level",
                "max.request.size", "fetch.max.bytes", "value.serializer", "bootstrap.servers", "linger.ms"}) {
            assertThatThrownBy(() -> KafkaClientProperties.fromConfig(config(Map.of(),
                    Map.of("tern.kafka.properties." + key, "x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tern.kafka.properties." + key + " is not allowed");
        }
        assertThatThrownBy(() -> KafkaClientProperties.fromConfig(config(
                Map.of("TERN_KAFKA_PROPERTIES_ENABLE_AUTO_COMMIT", "true"), Map.of())))
                .hasMessageContaining("tern.kafka.properties.enable.auto.commit is not allowed");
    }

    @Test
    void aMisspeltNameIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> KafkaClientProperties.of(Map.of("sasl.jass.config", JAAS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tern.kafka.properties.sasl.jass.config is not a Kafka client property");
    }

    @Test
    void secretsAreHiddenInTheTextForLogs() {
        var props = KafkaClientProperties.of(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS,
                "ssl.keystore.password", "pw1", "ssl.key.password", "pw2", "ssl.keystore.key", "-----BEGIN",
                "ssl.truststore.location", "/etc/tern/kafka/ca.crt"));
        assertThat(props.toString())
                .contains("security.protocol=SASL_SSL", "ssl.truststore.location=/etc/tern/kafka/ca.crt",
                        "sasl.jaas.config=[hidden]", "ssl.keystore.password=[hidden]", "ssl.key.password=[hidden]",
                        "ssl.keystore.key=[hidden]")
                .doesNotContain("s3cret", "pw1", "pw2", "BEGIN");
    }

    @Test
    void eachClientGetsThePropertiesItKnowsAndTernsOwnSettingsStay() {
        var props = KafkaClientProperties.of(Map.of("security.protocol", "SSL", "batch.size", "32768",
                "fetch.min.bytes", "10"));
        Properties producer = KafkaClients.producer("k:9093", props, 1000, "p");
        Properties consumer = KafkaClients.consumer("k:9093", props, 1000, "g", "c");
        Properties admin = KafkaClients.admin("k:9093", props);
        assertThat(producer).containsEntry("security.protocol", "SSL").containsEntry("batch.size", "32768")
                .containsEntry("acks", "all").doesNotContainKey("fetch.min.bytes");
        assertThat(consumer).containsEntry("security.protocol", "SSL").containsEntry("fetch.min.bytes", "10")
                .containsEntry("enable.auto.commit", "false").doesNotContainKey("batch.size");
        assertThat(admin).containsEntry("security.protocol", "SSL").doesNotContainKeys("batch.size", "fetch.min.bytes");
    }
}
