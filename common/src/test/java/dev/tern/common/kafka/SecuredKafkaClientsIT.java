package dev.tern.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.local.runtime.kafka.KafkaBroker;
import dev.tern.local.runtime.kafka.SecuredListeners;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.testkit.tls.TestPki;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern's Kafka clients, configured only through {@code TERN_KAFKA_PROPERTIES_*}, against a real
 * broker with a SCRAM-SHA-512 {@code SASL_SSL} listener and an {@code SSL} listener that requires
 * a client certificate: the two set-ups the chart supports (docs/ARCHITECTURE.md, "Kafka security").
 */
class SecuredKafkaClientsIT {

    private static final String TOPIC = "secured-roundtrip";
    private static final String SCRAM_PASSWORD = "scram-pass-1";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        pki = TestPki.create(dir.resolve("pki"));
        var secured = new SecuredListeners(pki.server("kafka"), pki.truststore(), TestPki.PASSWORD,
                Map.of("tern", SCRAM_PASSWORD));
        broker = KafkaBroker.start(dir.resolve("kafka"), 0, secured);
        broker.createTopics(List.of(new TopicSpec(TOPIC, 1, (short) 1, Map.of())));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** As a pod would read them: environment variables through the service's config. */
    private static KafkaClientProperties fromEnvironment(Map<String, String> env) {
        return KafkaClientProperties.fromConfig(new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300)).build());
    }

    private static KafkaClientProperties scram(String password) {
        return fromEnvironment(Map.of(
                "TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "TERN_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"tern\" password=\"" + password + "\";",
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PEM",
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", pki.caPem().toString()));
    }

    private static KafkaClientProperties mtls(Path keystore) {
        return fromEnvironment(Map.of(
                "TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SSL",
                "TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_TYPE", "PKCS12",
                "TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_LOCATION", keystore.toString(),
                "TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_PASSWORD", TestPki.PASSWORD,
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PEM",
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", pki.caPem().toString()));
    }

    private static KafkaClientProperties sslWithoutCertificate() {
        return fromEnvironment(Map.of(
                "TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SSL",
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PEM",
                "TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", pki.caPem().toString()));
    }

    /** Produces one record with Tern's producer settings and reads it back with its consumer settings. */
    private static void roundTrip(String bootstrap, KafkaClientProperties properties) throws Exception {
        String key = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<String, byte[]>(
                KafkaClients.producer(bootstrap, properties, 1 << 20, "it-producer"))) {
            producer.send(new ProducerRecord<>(TOPIC, key, key.getBytes())).get(60, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<String, byte[]>(
                KafkaClients.consumer(bootstrap, properties, 1 << 20, "it-" + key, "it-consumer"))) {
            consumer.subscribe(List.of(TOPIC));
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!keys.contains(key) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(r.key());
                }
            }
            assertThat(keys).contains(key);
        }
    }

    private static int liveBrokers(String bootstrap, KafkaClientProperties properties) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, properties))) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        }
    }

    @Test
    void scramOverSaslSslWithAPemTruststoreProducesAndConsumes() throws Exception {
        assertThat(liveBrokers(broker.saslSslBootstrapServers(), scram(SCRAM_PASSWORD))).isEqualTo(1);
        roundTrip(broker.saslSslBootstrapServers(), scram(SCRAM_PASSWORD));
    }

    @Test
    void mutualTlsWithAPkcs12KeystoreProducesAndConsumes() throws Exception {
        Path client = pki.client("tern-client", "tern");
        assertThat(liveBrokers(broker.sslBootstrapServers(), mtls(client))).isEqualTo(1);
        roundTrip(broker.sslBootstrapServers(), mtls(client));
    }

    @Test
    void aWrongScramPasswordIsAnAuthenticationFailure() {
        assertThatThrownBy(() -> liveBrokers(broker.saslSslBootstrapServers(), scram("wrong-password")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void theSslListenerRefusesAClientWithoutACertificate() {
        assertThatThrownBy(() -> liveBrokers(broker.sslBootstrapServers(), sslWithoutCertificate()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SslAuthenticationException.class);
    }
}
