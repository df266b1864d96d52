package dev.tern.delivery.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.PolicyParser;
import dev.tern.common.policy.Transport;
import dev.tern.delivery.admin.OperatorControls;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An operator's reroute order comes before the policy's routes, by domain or by the route's name. */
class RouterRerouteTest {

    private static final Policy POLICY = PolicyParser.parse("""
            routes:
              - match: relayed.example
                via: smtp://relay.example:2525
            """, Path.of("."));

    private final OperatorControls controls = new OperatorControls();
    private final Router router = new Router(new MxResolver(new FakeDns(), new Random(1), 25), controls);

    private RoutePlan route(String domain) {
        return router.route(domain, POLICY).toCompletableFuture().join();
    }

    @Test
    void aRerouteByDomainReplacesMxDelivery() {
        controls.reroute("Moved.Example", Transport.parse("lmtp://127.0.0.1:2424"));
        RoutePlan plan = route("moved.example");
        assertThat(plan.lmtp()).isTrue();
        assertThat(plan.destination()).isEqualTo("lmtp://127.0.0.1:2424");
        assertThat(plan.hops()).extracting(NextHop::port).containsExactly(2424);
        assertThat(Router.destinationName("moved.example", POLICY, controls)).isEqualTo("lmtp://127.0.0.1:2424");
        assertThat(Router.destinationName("other.example", POLICY, controls)).isEqualTo("other.example");
    }

    @Test
    void aRerouteOfARouteMovesEveryDomainOnItAndMxUndoesIt() {
        assertThat(route("relayed.example").destination()).isEqualTo("smtp://relay.example:2525");
        controls.reroute("smtp://relay.example:2525", Transport.parse("smtp://fallback.example:25"));
        assertThat(route("relayed.example").destination()).isEqualTo("smtp://fallback.example:25");

        controls.reroute("smtp://relay.example:2525", Transport.MX);
        assertThat(route("relayed.example").destination()).isEqualTo("smtp://relay.example:2525");
    }
}
