package dev.tern.delivery.route;

import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Transport;
import dev.tern.smtp.reply.Reply;
import java.util.List;

/**
 * Where the recipients of one domain go on this attempt, or why they cannot go anywhere.
 *
 * @param destination      the name limits, suspension and queue counts are kept under: the
 *                         recipient domain for MX delivery, the transport for a route (every
 *                         domain sent to one smarthost shares its connections)
 * @param destinationClass bounded metric label: {@code mx}, or the route's transport
 * @param transport        how to speak to the hops: {@code mx}/{@code smtp://}: SMTP; {@code lmtp://}: LMTP
 * @param policy           shaping and timeouts for the destination
 * @param hops             servers in the order to try (next one on connection failure)
 * @param failure          when not null, no hop: this reply decides every recipient (e.g. 5.1.2)
 */
public record RoutePlan(String destination, String destinationClass, Transport transport,
        DestinationPolicy policy, List<NextHop> hops, Reply failure) {

    public RoutePlan {
        hops = List.copyOf(hops);
    }

    public static RoutePlan failed(String destination, String destinationClass, Transport transport,
            DestinationPolicy policy, Reply failure) {
        return new RoutePlan(destination, destinationClass, transport, policy, List.of(), failure);
    }

    public boolean routable() {
        return failure == null;
    }

    public boolean lmtp() {
        return transport.kind() == Transport.Kind.LMTP;
    }
}
