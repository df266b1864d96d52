package dev.tern.delivery.support;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile under which {@link DeliveryTestResource} writes the retry ladder {@code [1s, 10m]}:
 * mail deferred twice waits ten minutes on {@code tern.retry.10m}, far longer than any test, so a
 * test sees at once whether an operator's action made it due. (Test resources apply to every test
 * class, so the ladder follows the profile rather than a resource of its own.)
 */
public final class LongRetryTierProfile implements QuarkusTestProfile {
}
