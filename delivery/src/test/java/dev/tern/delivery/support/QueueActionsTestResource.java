package dev.tern.delivery.support;

/**
 * {@link DeliveryTestResource} with the retry ladder {@code [1s, 10m]}: mail deferred twice waits
 * ten minutes on {@code tern.retry.10m}, far longer than any test, so a test sees at once whether
 * a queue action made it due.
 */
public final class QueueActionsTestResource extends DeliveryTestResource {

    @Override
    protected String retryLadder() {
        return "[1s, 10m]";
    }
}
