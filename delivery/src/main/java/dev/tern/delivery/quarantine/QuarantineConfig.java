package dev.tern.delivery.quarantine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The quarantine store ({@code tern.quarantine.*}; env {@code TERN_QUARANTINE_*}), docs/ARCHITECTURE.md,
 * "Quarantine".
 */
@ConfigMapping(prefix = "tern.quarantine")
public interface QuarantineConfig {

    /**
     * How long held mail is kept when nobody releases or deletes it: the {@code retention.ms} of
     * {@code tern.quarantine} when delivery creates the topic, and the age past which the index stops
     * listing a message (Kafka deletes it with its segment). Keep equal to the topic's retention.
     */
    @WithDefault("30d")
    Duration retention();

    /**
     * Most messages the in-memory index of each delivery pod holds; beyond it the oldest are dropped
     * from the index (not from Kafka) with a warning. About 300 bytes of metadata per message.
     */
    @WithDefault("100000")
    int maxIndexed();
}
