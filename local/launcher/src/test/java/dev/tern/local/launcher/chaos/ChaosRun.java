package dev.tern.local.launcher.chaos;

import dev.tern.local.launcher.ClusterFixture;
import dev.tern.local.launcher.LocalCluster;
import dev.tern.local.launcher.LocalOptions;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one {@link ChaosCase} on a running {@code --ha} cluster and scores it: start the load
 * (and smtp-source beside it), wait for a third accepted, note the transactions in flight, inject
 * the fault, let the load finish, undo the fault (restart what was killed, so the next case starts
 * from a whole cluster), then wait on the sink until every accepted message (or its DSN) has
 * arrived or {@link #DELIVERY_TIMEOUT} passes. Every wait is bounded.
 */
public final class ChaosRun {

    static final Duration FEED_TIMEOUT = Duration.ofMinutes(4);
    static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(3);

    /** Recipients the sink refuses with 550, so that their messages bounce. */
    static final String GONE = "gone-";

    private final ClusterFixture fixture;
    private final SinkTally tally;
    private final ChaosCase chaosCase;
    private final SinkBehaviour base;
    private final List<Recovery> recoveries = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Messages sent outside the load (probes), by number: true if answered 250. */
    private final Map<Integer, Boolean> probes = new HashMap<>();
    private final Path smallKafkaDisk;
    private ChaosLoad load;
    private int extraInFlight;

    /** Something to undo after the load. */
    @FunctionalInterface
    public interface Recovery {
        void run() throws Exception;
    }

    ChaosRun(ClusterFixture fixture, SinkTally tally, ChaosCase chaosCase, SinkBehaviour base, Path smallKafkaDisk) {
        this.smallKafkaDisk = smallKafkaDisk;
        this.fixture = fixture;
        this.tally = tally;
        this.chaosCase = chaosCase;
        this.base = base;
    }

    ChaosRow execute() throws Exception {
        long started = System.nanoTime();
        List<String> ingresses = fixture.cluster.options().isHa()
                ? List.of(FreePorts.LOOPBACK, LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS) : List.of(FreePorts.LOOPBACK);
        load = new ChaosLoad(chaosCase.name(), ingresses, fixture.smtpPort(), chaosCase.messages(), chaosCase.sessions(),
                n -> (chaosCase.bounces() ? GONE + chaosCase.name() + "-" + n : "rcpt" + (n % 10)) + "@remote.test");
        SmtpSource background = SmtpSource.start(chaosCase.name(), ingresses.get(ingresses.size() - 1),
                fixture.smtpPort());
        load.start();
        int bound;
        try {
            if (!load.awaitAccepted(Math.max(1, chaosCase.messages() / 3), FEED_TIMEOUT)) {
                failures.add("a third of the load was never accepted");
            }
            bound = load.inFlight() + fixture.sink.transactionsInFlight();
            chaosCase.fault().inject(this);
            bound += extraInFlight;
            load.finish(FEED_TIMEOUT);
        } finally {
            for (Recovery r : recoveries) {
                r.run();
            }
            fixture.sink.behaviour(base);
        }
        String backgroundExit = background.finish();
        Set<Integer> accepted = new HashSet<>();
        Set<Integer> answeredOtherwise = new HashSet<>();
        load.outcomes().forEach((n, o) -> (o == ChaosLoad.Outcome.ACCEPTED ? accepted : answeredOtherwise).add(n));
        probes.forEach((n, ok) -> (ok ? accepted : answeredOtherwise).add(n));

        boolean complete = tally.await(t -> SinkTally.covers(counts(t), accepted), DELIVERY_TIMEOUT);
        // Background mail and late copies get a moment only through the bounded wait above; what
        // arrives after it is not counted.
        Map<Integer, Integer> copies = counts(tally);
        int delivered = (int) accepted.stream().filter(copies::containsKey).count();
        int extraCopies = copies.entrySet().stream().filter(e -> accepted.contains(e.getKey()))
                .mapToInt(e -> e.getValue() - 1).sum();
        int deliveredUnacknowledged = (int) copies.keySet().stream().filter(answeredOtherwise::contains).count();
        int lost = accepted.size() - delivered;
        Map<String, Integer> bg = tally.background(chaosCase.name());
        notes.add(backgroundExit + ", " + SmtpSource.MESSAGES + " sent, " + bg.size() + " delivered, "
                + bg.values().stream().mapToInt(c -> c - 1).sum() + " duplicates");
        if (!complete && lost > 0) {
            notes.add("still missing after " + DELIVERY_TIMEOUT.toSeconds() + " s: "
                    + accepted.stream().filter(n -> !copies.containsKey(n)).sorted().limit(10).map(String::valueOf)
                            .collect(Collectors.joining(",")));
        }
        notes.add(0, String.format("%d sent, %d refused %s, %d unanswered, %d delivered without a 250; %.0f s",
                chaosCase.messages() + probes.size(), load.count(ChaosLoad.Outcome.REFUSED), load.refusals(),
                load.count(ChaosLoad.Outcome.UNANSWERED), deliveredUnacknowledged, (System.nanoTime() - started) / 1e9));
        return new ChaosRow(chaosCase.name(), accepted.size(), delivered, extraCopies + deliveredUnacknowledged, lost,
                bound, List.copyOf(failures), String.join("; ", notes));
    }

    private Map<Integer, Integer> counts(SinkTally t) {
        return chaosCase.bounces() ? t.notices(chaosCase.name()) : t.delivered(chaosCase.name());
    }

    // What faults use.

    public ClusterFixture fixture() {
        return fixture;
    }

    /** Kafka's log directory on a small tmpfs ({@link ChaosCluster#startOnSmallKafkaDisk}), else null. */
    public Path smallKafkaDisk() {
        return smallKafkaDisk;
    }

    public LocalCluster cluster() {
        return fixture.cluster;
    }

    public ChaosLoad load() {
        return load;
    }

    public String caseName() {
        return chaosCase.name();
    }

    /** Run after the load, before delivery is awaited (restart, restore). */
    public void recoverWith(Recovery r) {
        recoveries.add(r);
    }

    /** A check of the case's own failed: the case fails, with this text in the result. */
    public void fail(String what) {
        failures.add(what);
    }

    public void note(String what) {
        notes.add(what);
    }

    /** A probe message, numbered {@code n}, outside the load: its 250 or not decides what the sink may hold. */
    public void probe(int n, boolean accepted) {
        probes.put(n, accepted);
    }

    /** Transactions of the fault's own probes in flight when it struck, added to the duplicate bound. */
    public void inFlightToo(int n) {
        extraInFlight += n;
    }

    /** The sink's behaviour for the run's remote-fault cases, on top of the base (550 for {@value #GONE}*). */
    public void remote(SinkBehaviour fault) {
        fixture.sink.behaviour(fault.orElse(base));
    }

    /** Tern's topics, for leader and ISR checks. */
    public List<String> topics() {
        return LocalCluster.topics(cluster().policy(), cluster().options().partitions(), (short) 3).stream()
                .map(TopicSpec::name).toList();
    }
}
