package dev.tern.bounce.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The bounce service's Prometheus metrics (names are a contract with {@code deploy/grafana/}):
 * <ul>
 *   <li>{@code tern_bounce_notices_total{kind}}: notices published to {@code tern.inbound}, kind
 *       {@code failed} or {@code delayed};</li>
 *   <li>{@code tern_bounce_suppressed_total}: addresses added to the suppression list after a hard
 *       bounce;</li>
 *   <li>{@code tern_bounce_null_sender_total}: failure records of null-sender messages, which are
 *       never bounced (RFC 5321 §6.1);</li>
 *   <li>{@code tern_bounce_malformed_records_total{source}}: records skipped because they do not
 *       decode, source {@code failed}, {@code retry} or {@code feedback};</li>
 *   <li>{@code tern_bounce_feedback_total{type}}: what reached the bounce address
 *       (docs/ARCHITECTURE.md, "Feedback loops and VERP"): per recipient {@code dsn-failed},
 *       {@code dsn-delayed} or {@code complaint}; per message {@code unparsable} (not a report Tern
 *       reads) or {@code ignored} (a report with nothing to act on: success DSNs, not-spam,
 *       auth-failure);</li>
 *   <li>{@code tern_bounce_errors_total{stage}}: operations that failed and will be retried or were
 *       given up, stage {@code publish}, {@code suppression}, {@code dedupe}, {@code event} or {@code trace};</li>
 *   <li>{@code tern_bounce_trace_indexed_total{kind}}: records written to the message trace, kind
 *       {@code accepted}, {@code delivery} or {@code notice};</li>
 *   <li>{@code tern_bounce_trace_lookup_seconds}: time to answer one {@code /admin/trace} query.</li>
 * </ul>
 * Every series with a fixed label value is registered at start, so dashboards show 0, not "no data".
 * Thread-safe.
 */
public final class BounceMetrics {

    public static final String FAILED = "failed";
    public static final String DELAYED = "delayed";
    /** The {@code type} values of {@code tern_bounce_feedback_total}. */
    public static final String[] FEEDBACK_TYPES = {"dsn-failed", "dsn-delayed", "complaint", "unparsable", "ignored"};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer traceLookup;

    public BounceMetrics(MeterRegistry registry) {
        this.registry = registry;
        notices(FAILED, 0);
        notices(DELAYED, 0);
        counter("tern.bounce.suppressed", "Addresses suppressed after a hard bounce", null, null);
        counter("tern.bounce.null.sender", "Failures of null-sender messages, never bounced", null, null);
        for (String type : FEEDBACK_TYPES) {
            counter("tern.bounce.feedback", "Reports that reached the bounce address, by type", "type", type);
        }
        for (String source : new String[] {"failed", "retry", "feedback", "events"}) {
            counter("tern.bounce.malformed.records", "Records skipped because they do not decode", "source", source);
        }
        for (String stage : new String[] {"publish", "suppression", "dedupe", "event", "trace"}) {
            counter("tern.bounce.errors", "Failed operations, by stage", "stage", stage);
        }
        for (String kind : new String[] {"accepted", "delivery", "notice"}) {
            counter("tern.bounce.trace.indexed", "Records written to the message trace, by kind", "kind", kind);
        }
        this.traceLookup = Timer.builder("tern.bounce.trace.lookup").description("Time to answer one trace query")
                .publishPercentileHistogram().register(registry);
    }

    public void traceIndexed(String kind) {
        counter("tern.bounce.trace.indexed", null, "kind", kind).increment();
    }

    public void traceLookup(long nanos) {
        traceLookup.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void notice(String kind) {
        notices(kind, 1);
    }

    public void suppressed() {
        counter("tern.bounce.suppressed", null, null, null).increment();
    }

    public void nullSender() {
        counter("tern.bounce.null.sender", null, null, null).increment();
    }

    /** One report (or one recipient of a report) at the bounce address, by {@link #FEEDBACK_TYPES type}. */
    public void feedback(String type) {
        counter("tern.bounce.feedback", null, "type", type).increment();
    }

    public void malformed(String source) {
        counter("tern.bounce.malformed.records", null, "source", source).increment();
    }

    public void error(String stage) {
        counter("tern.bounce.errors", null, "stage", stage).increment();
    }

    private void notices(String kind, double amount) {
        counter("tern.bounce.notices", "Notices published to tern.inbound, by kind", "kind", kind).increment(amount);
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '\0' + value, k -> {
            var b = Counter.builder(name).description(description);
            if (tag != null) {
                b.tag(tag, value);
            }
            return b.register(registry);
        });
    }
}
