package dev.tern.delivery.route;

import dev.tern.common.policy.Transport;
import java.util.Optional;

/**
 * The operator's live reroute orders, as the {@link Router} consults them before the policy's
 * routes (docs/ARCHITECTURE.md, "Queue actions"). Kept here so routing does not depend on the
 * admin package that holds the orders.
 */
@FunctionalInterface
public interface Reroutes {

    /** The transport ordered for {@code destination} (a domain or a route's name), if any. */
    Optional<Transport> rerouteFor(String destination);
}
