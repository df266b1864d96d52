package dev.tern.ingress.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The counters operators watch on an ingress pod (names are a contract with the Grafana
 * dashboards in deploy/grafana). Label values are bounded: commands outside the known verb set
 * count as {@code other}, rejection reasons are a fixed vocabulary chosen by the callers.
 */
@ApplicationScoped
public class IngressMetrics {

    private static final Set<String> VERBS = Set.of("HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP",
            "QUIT", "VRFY", "EXPN", "HELP", "STARTTLS", "AUTH");

    private static final Duration[] DATA_REPLY_BUCKETS = java.util.stream.LongStream.of(1, 2, 5, 10, 20, 50, 100,
            250, 500, 1000, 2500, 5000, 10000, 30000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Counter sessions;
    private final Counter accepted;
    private final Counter bytes;
    private final Map<String, Counter> byKey = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sessions = Counter.builder("tern.ingress.sessions").description("SMTP sessions opened").register(registry);
        this.accepted = Counter.builder("tern.ingress.messages.accepted")
                .description("Messages acknowledged by Kafka and answered 250").register(registry);
        this.bytes = Counter.builder("tern.ingress.bytes").description("Message bytes accepted").register(registry);
    }

    /**
     * Registers the active-sessions gauge over the listeners' own count. Strongly referenced:
     * Micrometer holds gauge state weakly, and a method reference nobody else keeps would be
     * collected, taking the gauge with it.
     */
    public void activeSessions(Supplier<Number> active) {
        Gauge.builder("tern.ingress.sessions.active", active, s -> s.get().doubleValue())
                .description("SMTP sessions open now").strongReference(true).register(registry);
    }

    public void sessionOpened() {
        sessions.increment();
    }

    public void command(String verb) {
        String v = verb == null ? "other" : verb.toUpperCase(Locale.ROOT);
        counter("tern.ingress.commands", "command", VERBS.contains(v) ? v : "other").increment();
    }

    public void reply(int code) {
        counter("tern.ingress.replies", "code_class", (code / 100) + "xx").increment();
    }

    public void accepted(long size) {
        accepted.increment();
        bytes.increment(size);
    }

    /**
     * The time from the end of a message's data (the final dot, or the last BDAT chunk) to the
     * reply, by reply class: what a sender waits for its 250, Kafka's acknowledgement included.
     * Fixed buckets down to 1 ms so a p99 of a few milliseconds is visible (a percentile histogram's
     * default buckets are too coarse there).
     */
    public void dataReplied(long nanos, int code) {
        String codeClass = (code / 100) + "xx";
        timers.computeIfAbsent("tern.ingress.data.reply\0" + codeClass, k -> Timer.builder("tern.ingress.data.reply")
                .description("Time from the end of the message data to the reply").tag("code_class", codeClass)
                .serviceLevelObjectives(DATA_REPLY_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code reason}: one of a fixed set (size, loop, kafka, policy, syntax, smuggling, timeout). */
    public void rejected(String reason) {
        counter("tern.ingress.messages.rejected", "reason", reason).increment();
    }

    /**
     * One result of an inbound authentication check: {@code method} spf, dkim, dmarc or sender-id,
     * {@code result} its RFC 8601 keyword (pass, fail, ...).
     */
    public void authResult(String method, String result) {
        byKey.computeIfAbsent("tern.ingress.auth.results\0" + method + '\0' + result,
                k -> Counter.builder("tern.ingress.auth.results").tag("method", method).tag("result", result)
                        .description("Results of SPF, DKIM, DMARC and Sender ID checks on inbound mail")
                        .register(registry)).increment();
    }

    /**
     * A sender, recipient, message or connection refused (or deferred) by an edge check;
     * {@code reason} is one of spf, dkim, dmarc, sender_id, sender_login, dnsbl, greylist,
     * recipient_unknown, recipient_unverified.
     */
    public void refused(String reason) {
        counter("tern.ingress.refused", "reason", reason).increment();
    }

    public void connectionRefused(String reason) {
        counter("tern.ingress.connections.refused", "reason", reason).increment();
    }

    /** A client session on the proxy listener (also counted in {@code tern.ingress.sessions}). */
    public void proxySessionOpened() {
        byKey.computeIfAbsent("tern.ingress.proxy.sessions", k -> Counter.builder(k)
                .description("Client sessions on the SMTP proxy listener").register(registry)).increment();
    }

    /**
     * The proxy's upstream failed a client session: {@code stage} connect (unreachable, refused
     * the session, TLS), lost (closed, timed out or said 421 mid-session) or error.
     */
    public void proxyUpstreamFailure(String stage) {
        counter("tern.ingress.proxy.upstream.failures", "stage", stage).increment();
    }

    /**
     * A message's end of data on the proxy: {@code outcome} relayed (the upstream said 250), refused
     * (by the upstream), blocked or tempfailed (by the content check).
     */
    public void proxyMessage(String outcome) {
        counter("tern.ingress.proxy.messages", "outcome", outcome).increment();
    }

    /**
     * One action of a content-filter milter on a message: accept, reject, tempfail, discard,
     * quarantine, error (failed or timed out) or a modification (addheader, chgheader, insheader,
     * replacebody, addrcpt, delrcpt). {@code milter} is a name from the policy (bounded by it).
     */
    public void milterAction(String milter, String action) {
        byKey.computeIfAbsent("tern.ingress.milter.actions\0" + milter + '\0' + action,
                k -> Counter.builder("tern.ingress.milter.actions").tag("milter", milter).tag("action", action)
                        .description("Actions of content-filter milters on messages").register(registry)).increment();
    }

    /** How long one milter took over one message, failures and timeouts included. */
    public void milterTime(String milter, long nanos) {
        timers.computeIfAbsent(milter, m -> Timer.builder("tern.ingress.milter").tag("milter", m)
                .description("Time one milter took over one message").publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String tag, String value) {
        return byKey.computeIfAbsent(name + '\0' + value, k -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
