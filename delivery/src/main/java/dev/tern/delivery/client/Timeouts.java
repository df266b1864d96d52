package dev.tern.delivery.client;

import dev.tern.common.policy.DestinationPolicy;
import java.time.Duration;

/**
 * The client timers of RFC 5321 §4.5.3.2, from the destination's policy: connect plus greeting,
 * each command reply (§4.5.3.2.2–.5: 5 minutes suggested), and the final reply after the end of
 * data (§4.5.3.2.6: 10 minutes).
 */
public record Timeouts(Duration connect, Duration command, Duration data) {

    public static Timeouts of(DestinationPolicy p) {
        return new Timeouts(p.connectTimeout(), p.commandTimeout(), p.dataTimeout());
    }
}
