package dev.tern.ingress.trust.recipients;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.DestinationPolicy;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Relay;
import dev.tern.common.policy.Route;
import dev.tern.common.policy.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Policies for the recipient validation tests: local domains, a recipients file, a callout, routes. */
final class TestPolicies {

    private TestPolicies() {
    }

    static Policy policy(Set<String> localDomains, Path recipients, Relay.Callout callout, Route... routes) {
        Relay relay = new Relay(localDomains, List.of(), null, recipients, callout);
        return new Policy(relay, List.of(routes), DestinationPolicy.BUILT_IN, Map.of(), Policy.DEFAULT_RETRY,
                Duration.ofDays(5), Duration.ofHours(4), Map.of(), Checks.NONE, List.of(), List.of(), null, null);
    }

    static Relay.Callout callout(Duration timeout) {
        return new Relay.Callout(true, Duration.ofHours(1), Duration.ofMinutes(10), timeout);
    }

    static Route route(String domain, String via) {
        return new Route(domain, Transport.parse(via));
    }
}
