package dev.tern.common.policy;

import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.dkim.DkimKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's policy file, validated (docs/ARCHITECTURE.md, "Configuration"): relay rules, routes,
 * per-destination shaping, the retry ladder, queue lifetimes, DKIM signing keys, the inbound
 * {@link Checks}, the content-filter {@link Milter}s, the delivery {@link Webhook}s, the bounce
 * address ({@link Feedback}) and the bounce classification with the operator's {@code bounce-rules}
 * ({@link BounceClassifier}). Immutable; a reload builds a new
 * one ({@link PolicyWatcher}). Parse with {@link PolicyParser}.
 */
public record Policy(
        Relay relay,
        List<Route> routes,
        DestinationPolicy defaultDestination,
        Map<String, DestinationPolicy> destinations,
        List<Duration> retry,
        Duration maxQueueLifetime,
        Duration delayNoticeAfter,
        Map<String, DkimKey> dkim,
        Checks checks,
        List<Milter> milters,
        List<Webhook> webhooks,
        Feedback feedback,
        BounceClassifier bounceClassifier) {

    public static final List<Duration> DEFAULT_RETRY = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(6));

    public Policy {
        routes = List.copyOf(routes);
        destinations = Map.copyOf(destinations);
        retry = List.copyOf(retry);
        dkim = Map.copyOf(dkim);
        milters = List.copyOf(milters);
        webhooks = List.copyOf(webhooks);
        feedback = feedback == null ? Feedback.NONE : feedback;
        bounceClassifier = bounceClassifier == null ? BounceClassifier.defaults() : bounceClassifier;
    }

    /** The milters that check mail from this listener and kind of client, in order. */
    public List<Milter> miltersFor(String listener, boolean trusted, boolean authenticated) {
        return milters.stream().filter(m -> m.applies(listener, trusted, authenticated)).toList();
    }

    /**
     * The DKIM key that signs mail from {@code domain} (the From header's domain): its own
     * {@code dkim} entry, or the nearest parent domain's (a parent's signature aligns for DMARC
     * in relaxed mode); empty when neither has one.
     */
    public Optional<DkimKey> dkimFor(String domain) {
        if (dkim.isEmpty() || domain == null) {
            return Optional.empty();
        }
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            DkimKey key = dkim.get(d);
            if (key != null) {
                return Optional.of(key);
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            d = d.substring(dot + 1);
        }
    }

    /** Files the policy read besides itself that a reload must notice: the routes' {@code auth-secret}s, the webhooks' secrets. */
    public List<java.nio.file.Path> watchedFiles() {
        return java.util.stream.Stream.concat(routes.stream().map(Route::authSecret), webhooks.stream().map(Webhook::secretFile))
                .filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The transport for a recipient domain: the first matching route, else MX. */
    public Transport transportFor(String domain) {
        for (Route r : routes) {
            if (r.matches(domain)) {
                return r.via();
            }
        }
        return Transport.MX;
    }

    /** The shaping that applies to a domain by name; MX rollups are resolved by the delivery service. */
    public DestinationPolicy destinationFor(String domain) {
        return destinations.getOrDefault(domain.toLowerCase(Locale.ROOT), defaultDestination);
    }
}
