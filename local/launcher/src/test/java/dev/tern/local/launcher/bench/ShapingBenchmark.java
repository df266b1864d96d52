package dev.tern.local.launcher.bench;

import dev.tern.local.launcher.LocalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 6's ceiling: the highest rate one shaped destination sustains across two delivery
 * processes sharing one Infinispan server, and the Hot Rod round trips each message costs, at
 * several configured limits. A benchmark, not a test: nothing here asserts a speed, it is not
 * named like a test so {@code ./mvnw verify} never runs it, and {@code bench/shaping.sh} starts
 * it after {@code ./mvnw -q install -DskipTests}.
 *
 * <p>The feeder is out of the measured path: each limit gets a fresh local cluster whose queue is
 * filled through ingress before the measured delivery starts, either with both delivery processes
 * warmed up and held back by the sink, or with delivery stopped ({@link ShapingRun}). Loopback
 * only. Prints a markdown table on stdout, progress on stderr.
 *
 * <p>Settings (system properties, defaults in brackets): {@code tern.bench.start} [warm] or
 * cold; {@code tern.bench.warm-up-messages} [40000: with 10000, delivery still used a third more
 * CPU per message than after 40000]; {@code tern.bench.limits}
 * [500,1000,2000,unlimited] messages/s, "unlimited" meaning a rate of
 * {@value Limit#UNLIMITED_RATE}/s so the limiter still takes part; {@code tern.bench.messages}
 * [20000], raised to {@code tern.bench.seconds} [30] of traffic at the limit (the window ends
 * when the first process runs out of backlog, and a cold start spends seconds in start-up);
 * {@code tern.bench.unlimited-messages} [60000]; {@code tern.bench.connections} [20];
 * {@code tern.bench.messages-per-connection} [100]; {@code tern.bench.size} [1024] bytes;
 * {@code tern.bench.sessions} [32] feeder sessions; {@code tern.bench.partitions} [4] of
 * {@code tern.inbound} (even, so each process gets the same share of the backlog);
 * {@code tern.bench.settle} [3s]; {@code tern.bench.repeats} [1]; {@code tern.bench.timeline-dir}
 * [unset: none] for a CSV of every sample.
 */
public final class ShapingBenchmark {

    /** A configured rate for the shaped destination, in messages per second. */
    record Limit(long perSecond, boolean unlimited) {

        static final long UNLIMITED_RATE = 1_000_000;

        static Limit parse(String text) {
            String t = text.strip();
            return t.equalsIgnoreCase("unlimited") ? new Limit(UNLIMITED_RATE, true)
                    : new Limit(Long.parseLong(t.replace("/s", "")), false);
        }

        @Override
        public String toString() {
            return unlimited ? "unlimited (%,d/s)".formatted(perSecond) : "%,d/s".formatted(perSecond);
        }
    }

    record Settings(Path repo, List<Limit> limits, boolean warm, int warmUpMessages, int messages, int seconds,
            int unlimitedMessages, int connections, int messagesPerConnection, int sizeBytes, int sessions,
            int partitions, Duration settle, int repeats) {

        static Settings fromSystemProperties() {
            return new Settings(LocalOptions.findRepo(Path.of("")),
                    Arrays.stream(System.getProperty("tern.bench.limits", "500,1000,2000,unlimited").split(","))
                            .map(Limit::parse).toList(),
                    !System.getProperty("tern.bench.start", "warm").equalsIgnoreCase("cold"),
                    intProperty("tern.bench.warm-up-messages", 40_000),
                    intProperty("tern.bench.messages", 20_000), intProperty("tern.bench.seconds", 30),
                    intProperty("tern.bench.unlimited-messages", 60_000), intProperty("tern.bench.connections", 20),
                    intProperty("tern.bench.messages-per-connection", 100), intProperty("tern.bench.size", 1024),
                    intProperty("tern.bench.sessions", 32), intProperty("tern.bench.partitions", 4),
                    Duration.parse("PT" + System.getProperty("tern.bench.settle", "3s")),
                    intProperty("tern.bench.repeats", 1));
        }

        int messagesFor(Limit limit) {
            return limit.unlimited() ? unlimitedMessages : (int) Math.max(messages, limit.perSecond() * seconds);
        }

        private static int intProperty(String key, int fallback) {
            String v = System.getProperty(key);
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
        }
    }

    private ShapingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= settings.repeats(); round++) {
            for (Limit limit : settings.limits()) {
                String row;
                try {
                    row = new ShapingRun(settings, limit).run().row();
                } catch (Exception e) {
                    // One broken run (a port taken between pick and bind, a crashed child) should not
                    // cost the figures of the others.
                    e.printStackTrace();
                    row = "| %s | failed: %s |".formatted(limit, e.getMessage());
                }
                rows.add(row);
                ShapingRun.log("%s", row);
            }
        }
        System.out.printf("Two delivery processes, one Infinispan server, %s start, %d connections cluster-wide,"
                + " %d messages per connection, %d-byte messages, %d partitions, settle %d s%n%n",
                settings.warm() ? "warm (%d-message warm-up, backlog held, then released)"
                        .formatted(settings.warmUpMessages()) : "cold (delivery started into the backlog)",
                settings.connections(), settings.messagesPerConnection(), settings.sizeBytes(), settings.partitions(),
                settings.settle().toSeconds());
        System.out.println(ShapingResult.header());
        rows.forEach(System.out::println);
        // Child processes die with this JVM anyway (watchdog); exit so the sink's threads do not linger.
        System.exit(0);
    }
}
