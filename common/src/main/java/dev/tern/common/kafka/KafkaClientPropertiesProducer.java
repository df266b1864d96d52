package dev.tern.common.kafka;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The one {@link KafkaClientProperties} of a service, read from its configuration when first
 * injected (at start: every service creates a Kafka client at start), so a reserved or unknown key
 * fails the start with its name.
 */
@Singleton
public class KafkaClientPropertiesProducer {

    private static final Logger LOG = Logger.getLogger(KafkaClientPropertiesProducer.class);

    @Produces
    @Singleton
    KafkaClientProperties kafkaClientProperties() {
        var properties = KafkaClientProperties.fromConfig(ConfigProvider.getConfig());
        if (!properties.isEmpty()) {
            LOG.infof("Kafka clients use %s%s", KafkaClientProperties.PREFIX, properties);
        }
        return properties;
    }
}
