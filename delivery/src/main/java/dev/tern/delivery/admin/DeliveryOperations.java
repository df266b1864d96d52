package dev.tern.delivery.admin;

import dev.tern.common.policy.PolicyHolder;
import dev.tern.common.queue.QueuedMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the operator's HTTP interface ({@link dev.tern.delivery.http.AdminRoutes}) orders from and reads of this pod's
 * delivery service. The service implements it, so the admin package needs nothing from the
 * application wiring that builds the service.
 */
public interface DeliveryOperations {

    /** Applies {@code command} here at once and publishes it on {@code tern.control} for every other pod. */
    CompletableFuture<Void> command(ControlCommand command);

    /** Produces {@code m} on {@code tern.inbound}; completes when Kafka acknowledged it. */
    CompletableFuture<Void> requeue(QueuedMessage m);

    /** The policy in force. */
    PolicyHolder policy();

    /** The operator's orders as this pod holds them. */
    OperatorControls controls();

    /** Records being delivered on this pod. */
    int inFlight();

    /** Recipients being delivered on this pod, per destination. */
    Map<String, Integer> inFlightByDestination();

    /** Outbound connections open or opening on this pod. */
    int openConnections();

    /** The topics the delivery consumer group reads. */
    List<String> consumedTopics();
}
