package dev.tern.local.launcher.bench;

import dev.tern.local.launcher.bench.ShapingBenchmark.Limit;
import dev.tern.local.launcher.bench.ShapingRun.Sample;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one {@link ShapingRun}, and their row in the markdown table.
 *
 * <p><b>Steady window</b>: from {@code settle} after both delivery processes have delivered since
 * the release (the opening burst is over; on a cold start, the consumer group has settled) until
 * the first of the two runs out of backlog (after that one process delivers alone, which is a
 * different measurement). Deliveries and Hot Rod requests are counted from the release. The
 * rate is the sink's arrivals inside the window over its length; machine and per-process CPU,
 * and the connections open (delivery's own gauge, sampled), are taken over the same samples. The
 * sink's maximum of connections open at once covers everything since the warm-up, hold and
 * release included (a cold start: the processes' start too). Hot Rod requests per message
 * ({@code tern_delivery_shaping_remote_calls_total} of both processes) cover the release to the
 * last message, ramp and tail included.
 */
record ShapingResult(
        Limit limit,
        int messages,
        double feedRate,
        long uniqueAtSink,
        int copiesAtSink,
        double notDelivered,
        double steadyRate,
        double windowSeconds,
        double wholeRunRate,
        int maxConnections,
        int maxLeases,
        int maxConnectionsInWindow,
        double fallbackShare,
        double hotRodPerMessage,
        double firstShare,
        double machineBusy,
        double deliveryCores,
        double kafkaCores,
        double infinispanCores,
        double benchCores,
        double otherCores,
        String note) {

    static ShapingResult of(Limit limit, int messages, PipelinedFeeder.Result feed, Instant released,
            List<Sample> samples, List<ReceivedMessage> atSink, int maxConnections, Duration settle) {
        List<Instant> arrivals = atSink.stream().map(ReceivedMessage::receivedAt).sorted().toList();
        long unique = atSink.stream().mapToInt(m -> PipelinedFeeder.indexOf(m.body())).filter(i -> i >= 0)
                .distinct().count();
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        // Counters are cumulative (a warm start has delivered its warm-up already): count from the release.
        double byFirst = last.first().delivered() - first.first().delivered();
        double delivered = byFirst + last.second().delivered() - first.second().delivered();
        double calls = last.first().shapingCalls() + last.second().shapingCalls()
                - first.first().shapingCalls() - first.second().shapingCalls();

        Window w = Window.of(samples, arrivals, released, settle);
        Instant from = w.from();
        Instant to = w.to();
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        long inWindow = arrivals.stream().filter(a -> !a.isBefore(from) && !a.isAfter(to)).count();
        // From the release (not the first arrival: one may slip through before the hold) to the last.
        long sinceRelease = arrivals.stream().filter(a -> !a.isBefore(released)).count();
        double wholeRun = arrivals.isEmpty() ? 0
                : sinceRelease / (Duration.between(released, arrivals.get(arrivals.size() - 1)).toNanos() / 1e9);

        Sample a = samples.stream().filter(s -> !s.at().isBefore(from)).findFirst().orElse(first);
        Sample b = samples.stream().filter(s -> !s.at().isAfter(to)).reduce((x, y) -> y).orElse(last);
        if (!b.at().isAfter(a.at())) {
            a = first;
            b = last;
        }
        CpuSnapshot c0 = a.cpu();
        CpuSnapshot c1 = b.cpu();
        int maxLeases = (int) samples.stream().mapToDouble(s -> s.first().leasesHeld() + s.second().leasesHeld())
                .max().orElse(0);
        int inWindowConnections = (int) samples.stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to))
                .mapToDouble(s -> s.first().connections() + s.second().connections()).max().orElse(0);
        double fallbackShare = (double) samples.stream()
                .filter(s -> s.first().fallback() > 0 || s.second().fallback() > 0).count() / samples.size();
        return new ShapingResult(limit, messages, feed.rate(), unique, atSink.size(),
                last.first().notDelivered() + last.second().notDelivered(), inWindow / seconds, seconds, wholeRun,
                maxConnections, maxLeases, inWindowConnections, fallbackShare, delivered == 0 ? 0 : calls / delivered,
                delivered == 0 ? 0 : byFirst / delivered, c1.machineBusySince(c0),
                c1.coresSince(c0, "delivery") + c1.coresSince(c0, "delivery-2"), c1.coresSince(c0, "kafka"),
                c1.coresSince(c0, "infinispan"), c1.coresSince(c0, "bench"),
                c1.machineBusySince(c0) * Runtime.getRuntime().availableProcessors() - c1.ourCoresSince(c0), w.note());
    }

    /** The steady window (see the class comment) and what, if anything, was unusual about it. */
    private record Window(Instant from, Instant to, String note) {

        static Window of(List<Sample> samples, List<Instant> arrivals, Instant released, Duration settle) {
            Sample base = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            Instant bothDelivering = samples.stream()
                    .filter(s -> s.first().delivered() > base.first().delivered()
                            && s.second().delivered() > base.second().delivered())
                    .map(Sample::at).findFirst().orElse(null);
            String note = "";
            Instant start;
            Instant end;
            if (bothDelivering == null || arrivals.isEmpty()) {
                note = "only one process delivered";
                start = (arrivals.isEmpty() ? released : arrivals.get(0)).plus(settle);
                end = arrivals.isEmpty() ? last.at() : arrivals.get(arrivals.size() - 1);
            } else {
                start = bothDelivering.plus(settle);
                end = min(lastWhileDelivering(samples, s -> s.first().delivered()),
                        lastWhileDelivering(samples, s -> s.second().delivered()));
            }
            if (Duration.between(start, end).toMillis() < 2000 && arrivals.size() >= 10) {
                note = (note.isEmpty() ? "" : note + "; ") + "window under 2 s, used the middle 80% of arrivals";
                start = arrivals.get(arrivals.size() / 10);
                end = arrivals.get(arrivals.size() - 1 - arrivals.size() / 10);
            }
            return new Window(start, end, note);
        }
    }

    /** The last sample before one process's delivered count reached its final value. */
    private static Instant lastWhileDelivering(List<Sample> samples, ToDoubleFunction<Sample> delivered) {
        double fin = delivered.applyAsDouble(samples.get(samples.size() - 1));
        for (int i = 0; i < samples.size(); i++) {
            if (delivered.applyAsDouble(samples.get(i)) >= fin) {
                return samples.get(Math.max(0, i - 1)).at();
            }
        }
        return samples.get(samples.size() - 1).at();
    }

    static String header() {
        return """
                | limit | messages | feed msg/s | steady msg/s (window) | ratio to limit | msg/s release to last \
                | max connections: at sink, whole run (leases held) / open in window | Infinispan fallback \
                | Hot Rod requests / msg | split delivery / delivery-2 | machine CPU busy \
                | cores: delivery ×2 / Kafka / Infinispan / sink JVM / not ours | at sink (unique / copies) | note |
                |---|---|---|---|---|---|---|---|---|---|---|---|---|---|""";
    }

    String row() {
        String ratio = limit.unlimited() ? "—" : "%.2f".formatted(steadyRate / limit.perSecond());
        String fallback = fallbackShare == 0 ? "never" : "%.0f%% of samples".formatted(fallbackShare * 100);
        String lost = notDelivered > 0 ? "; %.0f attempts not delivered".formatted(notDelivered) : "";
        return ("| %s | %,d | %,.0f | %,.0f (%.1f s) | %s | %,.0f | %d (%d) / %d | %s | %.3f | %.0f%% / %.0f%% | %.0f%%"
                + " | %.2f / %.2f / %.2f / %.2f / %.2f | %,d / %,d%s | %s |").formatted(
                        limit, messages, feedRate, steadyRate, windowSeconds, ratio, wholeRunRate,
                        maxConnections, maxLeases, maxConnectionsInWindow, fallback,
                        hotRodPerMessage, firstShare * 100, (1 - firstShare) * 100, machineBusy * 100,
                        deliveryCores, kafkaCores, infinispanCores, benchCores, Math.max(0, otherCores),
                        uniqueAtSink, copiesAtSink, lost, note);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
