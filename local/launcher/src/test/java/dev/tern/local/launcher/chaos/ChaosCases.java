package dev.tern.local.launcher.chaos;

import dev.tern.local.launcher.Service;
import dev.tern.local.runtime.kafka.KafkaQuorum;
import dev.tern.local.runtime.kafka.KafkaTopics;
import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest.Stage;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The cases of issue 14's chaos table, each a fault on the {@code --ha} cluster and its undoing.
 * Faults on processes kill or stop the first instance ({@code kafka-N}, {@code infinispan-tern-1},
 * {@code ingress}, {@code delivery}, {@code bounce}); the second instances carry on, and the
 * runner restarts what it stopped before the next case. Remote faults script the sink for a
 * bounded number of transactions. See docs/ARCHITECTURE.md, "Chaos".
 */
public final class ChaosCases {

    /** Messages per case, {@code -Dtern.chaos.messages} (default 400). */
    static final int MESSAGES = Integer.getInteger("tern.chaos.messages", 400);
    static final int SESSIONS = Integer.getInteger("tern.chaos.sessions", 8);
    /** How many transactions each remote fault spoils before the remote behaves again. */
    static final int REMOTE_FAULTS = 30;
    /** Delivery's data timeout in the chaos policy: a hung remote costs this much per connection. */
    public static final String DATA_TIMEOUT = "10s";
    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration ISR = Duration.ofMinutes(2);
    private static final int PROBE = 1_000_000;
    /** The case that needs its own cluster ({@link ChaosCluster#startOnSmallKafkaDisk}). */
    public static final String DISK_FULL = "kafka-disk-full";
    public static final int DISK_MB = 128;
    private static final int DISK_LEFT_KB = 64;

    private ChaosCases() {
    }

    /** Every case of the table, in the order they run. */
    public static List<ChaosCase> all() {
        return List.of(
                named("kafka-kill-one", "kill -9 of one Kafka broker of three (the one leading fewest partitions), restart",
                        ChaosCases::killQuietestBroker),
                named("kafka-kill-leader-burst", "kill -9 of the busiest partition leader's broker during a 32-session burst",
                        ChaosCases::killBusiestBroker).withSessions(32),
                named("infinispan-kill-one", "kill -9 of infinispan-tern-1 of two, restart", ChaosCases::killInfinispan),
                named("ingress-kill-mid-data-and-after-dot",
                        "kill -9 of ingress with two sessions mid-DATA and two just after the final dot",
                        ChaosCases::killIngress),
                named("delivery-kill", "kill -9 of delivery while it sends, restart", r -> kill(r, Service.DELIVERY)),
                new ChaosCase("bounce-kill", "kill -9 of bounce during a burst of bounces (every message to a 550 mailbox; DSNs counted)",
                        Math.max(50, MESSAGES / 2), SESSIONS, true, r -> kill(r, Service.BOUNCE)),
                named("ingress-sigterm", "SIGTERM of ingress: drain, 421 4.3.2 to new sessions", ChaosCases::stopIngress),
                named("delivery-sigterm", "SIGTERM of delivery: graceful drain, restart", r -> stop(r, Service.DELIVERY)),
                new ChaosCase("bounce-sigterm", "SIGTERM of bounce during a burst of bounces", Math.max(50, MESSAGES / 2),
                        SESSIONS, true, r -> stop(r, Service.BOUNCE)),
                named("remote-421", "the remote answers MAIL with 421 for " + REMOTE_FAULTS + " transactions",
                        r -> remoteFault(r, Stage.MAIL, SinkReply.of(421, "4.7.0 chaos: try again later"))),
                named("remote-hang-mid-data", "the remote hangs after 354 for " + REMOTE_FAULTS / 5
                        + " transactions (delivery's data timeout " + DATA_TIMEOUT + ")",
                        r -> remoteFault(r, Stage.DATA_START, SinkReply.hang(), REMOTE_FAULTS / 5)),
                named("remote-reset-after-data", "the remote resets the connection after the final dot for "
                        + REMOTE_FAULTS + " transactions", r -> remoteFault(r, Stage.DATA, SinkReply.resetConnection())),
                new ChaosCase(DISK_FULL, "Kafka's disk nearly full: a ballast file leaves " + DISK_LEFT_KB
                        + " KiB of its " + DISK_MB + " MiB tmpfs log dir, then is removed (own single-node cluster)",
                        Math.max(100, MESSAGES / 2), SESSIONS, false, ChaosCases::fillKafkaDisk));
    }

    /** The case named {@code name}. */
    public static ChaosCase named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chaos case " + name));
    }

    private static ChaosCase named(String name, String description, ChaosCase.Fault fault) {
        return new ChaosCase(name, description, MESSAGES, SESSIONS, false, fault);
    }

    private static void killQuietestBroker(ChaosRun r) throws Exception {
        killBroker(r, leaderships(r).entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    private static void killBusiestBroker(ChaosRun r) throws Exception {
        killBroker(r, leaderships(r).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    private static void killBroker(ChaosRun r, int node) {
        KafkaQuorum quorum = r.cluster().haBackends().kafka();
        quorum.kill(node);
        r.note("killed kafka-" + node);
        r.recoverWith(() -> {
            quorum.restart(node);
            quorum.awaitFullyReplicated(r.topics(), ISR);
        });
    }

    /** Partitions of Tern's topics each node leads; nodes leading none are listed with 0. */
    static Map<Integer, Integer> leaderships(ChaosRun r) throws Exception {
        KafkaQuorum quorum = r.cluster().haBackends().kafka();
        Map<Integer, Integer> led = new HashMap<>();
        for (int id = 1; id <= quorum.nodes().size(); id++) {
            led.put(id, 0);
        }
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(quorum.bootstrapServers()))) {
            for (TopicDescription t : admin.describeTopics(r.topics()).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
        }
        return led;
    }

    private static void killInfinispan(ChaosRun r) {
        var pair = r.cluster().haBackends().infinispan();
        pair.kill(1);
        r.recoverWith(() -> pair.restart(1));
    }

    private static void kill(ChaosRun r, Service s) {
        r.cluster().kill(s);
        r.recoverWith(() -> restart(r, s));
    }

    private static void stop(ChaosRun r, Service s) {
        r.cluster().stop(s);
        int exit = r.cluster().process(s).awaitExit(Duration.ofSeconds(40));
        if (exit != 0 && exit != 143) {
            r.fail(s.module() + " exited " + exit + " after SIGTERM");
        }
        r.recoverWith(() -> restart(r, s));
    }

    private static void restart(ChaosRun r, Service s) {
        r.cluster().startService(s);
        r.cluster().awaitReady(s);
    }

    /**
     * Kills ingress with probe sessions of its own in two states: two mid-DATA (no final dot
     * yet), two whose final dot was just sent. Afterwards each probe either got a 250, and must
     * be delivered, or failed, and must not be (checked by the run's accounting and here).
     */
    private static void killIngress(ChaosRun r) {
        int port = r.fixture().smtpPort();
        List<RawSmtpClient> midData = new ArrayList<>();
        List<RawSmtpClient> afterDot = new ArrayList<>();
        try {
            for (int k = 0; k < 4; k++) {
                RawSmtpClient c = new RawSmtpClient(FreePorts.LOOPBACK, port, 30_000);
                c.reply();
                c.command("EHLO probe.test");
                c.command("MAIL FROM:<probe@sender.test>");
                c.command("RCPT TO:<probe" + k + "@remote.test>");
                if (!c.command("DATA").startsWith("354")) {
                    r.fail("probe " + k + " not given 354");
                }
                c.send("Message-ID: <" + ChaosLoad.messageId(r.caseName(), PROBE + k) + ">\r\nSubject: probe\r\n\r\n");
                (k < 2 ? midData : afterDot).add(c);
            }
            for (RawSmtpClient c : afterDot) {
                c.send("probe body\r\n.\r\n");
            }
            r.cluster().kill(Service.INGRESS);
            r.inFlightToo(afterDot.size());
            for (int k = 0; k < 4; k++) {
                RawSmtpClient c = (k < 2 ? midData : afterDot).get(k % 2);
                String reply = readOrNull(c);
                boolean accepted = k >= 2 && reply != null && reply.startsWith("250");
                r.probe(PROBE + k, accepted);
                if (k < 2 && reply != null && reply.startsWith("250")) {
                    r.fail("a mid-DATA probe was answered 250");
                }
                r.note("probe " + (k < 2 ? "mid-DATA" : "after dot") + ": " + (reply == null ? "connection lost"
                        : reply.strip()));
            }
        } finally {
            midData.forEach(RawSmtpClient::close);
            afterDot.forEach(RawSmtpClient::close);
            r.recoverWith(() -> restart(r, Service.INGRESS));
        }
    }

    private static String readOrNull(RawSmtpClient c) {
        try {
            return c.reply();
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    /**
     * SIGTERM of ingress with a probe session mid-DATA: a new session must be greeted 421 4.3.2
     * while it drains (probed until it is, or 30 s); the probe's transaction must then finish
     * with 250 (and be delivered, by the run's accounting), its next command be answered 421
     * 4.3.2, and ingress exit cleanly.
     */
    private static void stopIngress(ChaosRun r) throws Exception {
        var process = r.cluster().process(Service.INGRESS);
        int n = PROBE;
        try (var inFlight = new RawSmtpClient(FreePorts.LOOPBACK, r.fixture().smtpPort(), 30_000)) {
            inFlight.reply();
            inFlight.command("EHLO drain.test");
            inFlight.command("MAIL FROM:<probe@sender.test>");
            inFlight.command("RCPT TO:<drain@remote.test>");
            inFlight.command("DATA");
            inFlight.send("Message-ID: <" + ChaosLoad.messageId(r.caseName(), n) + ">\r\nSubject: drain\r\n\r\n");
            process.handle().destroy();
            r.recoverWith(() -> restart(r, Service.INGRESS));
            String greeting = awaitDraining(r, process);
            if (greeting.startsWith("421 4.3.2")) {
                r.note("new session greeted " + greeting.strip());
            } else {
                r.fail("no 421 4.3.2 to a new session while draining (last greeting: " + greeting.strip() + ")");
            }
            String end = String.valueOf(inFlight.command("in flight during the drain\r\n."));
            r.probe(n, end.startsWith("250"));
            if (!end.startsWith("250 2.0.0")) {
                r.fail("the transaction in flight got " + end.strip() + ", not 250");
            }
            String next = String.valueOf(inFlight.command("NOOP"));
            if (!next.startsWith("421 4.3.2")) {
                r.fail("the drained session's next command got " + next.strip() + ", not 421 4.3.2");
            }
        }
        int exit = process.awaitExit(Duration.ofSeconds(60));
        if (exit != 0 && exit != 143) {
            r.fail("ingress exited " + exit + " after SIGTERM");
        }
    }

    /** Probes new sessions until one is greeted 421 4.3.2, ingress is gone, or 30 s passed; the last greeting. */
    private static String awaitDraining(ChaosRun r, ChildProcess process)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String greeting = "";
        while (!greeting.startsWith("421 4.3.2") && process.isAlive() && System.nanoTime() < deadline) {
            try (var probe = new RawSmtpClient(FreePorts.LOOPBACK, r.fixture().smtpPort(), 5_000)) {
                greeting = String.valueOf(probe.reply());
            } catch (RuntimeException e) {
                greeting = ""; // not listening, or closed before a greeting
            }
            if (!greeting.startsWith("421 4.3.2")) {
                Thread.sleep(50);
            }
        }
        return greeting;
    }

    /**
     * Fills Kafka's tmpfs with a ballast file up to {@value #DISK_LEFT_KB} KiB, waits (bounded)
     * for ingress to answer 451, then removes the ballast, restarts the broker if the full disk
     * stopped it, and requires a probe message to be answered 250 again within two minutes.
     */
    private static void fillKafkaDisk(ChaosRun r) throws Exception {
        Path disk = r.smallKafkaDisk();
        if (disk == null) {
            throw new IllegalStateException(DISK_FULL + " needs ChaosCluster.startOnSmallKafkaDisk");
        }
        Path ballast = disk.resolve("chaos-ballast");
        long left = Files.getFileStore(disk).getUsableSpace() - DISK_LEFT_KB * 1024L;
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            for (; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        r.note("ballast written, " + Files.getFileStore(disk).getUsableSpace() / 1024 + " KiB left");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!r.load().refusals().contains("451") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!r.load().refusals().contains("451")) {
            r.fail("ingress never answered 451 while Kafka's disk was full");
        }
        var kafka = r.cluster().backends();
        boolean died = !kafka.kafka().process().isAlive();
        Files.delete(ballast);
        if (died) {
            kafka.restartKafka();
        }
        r.note("kafka " + (died ? "stopped on the full disk and was restarted" : "stayed up"));
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (int k = 0; k < 30 && System.nanoTime() < deadline; k++) {
            try (var c = new RawSmtpClient(FreePorts.LOOPBACK, r.fixture().smtpPort(), 30_000)) {
                c.reply();
                c.command("EHLO probe.test");
                c.command("MAIL FROM:<probe@sender.test>");
                c.command("RCPT TO:<recovered@remote.test>");
                c.command("DATA");
                String end = String.valueOf(c.command("Message-ID: <" + ChaosLoad.messageId(r.caseName(), PROBE + k)
                        + ">\r\nSubject: recovered\r\n\r\nafter the disk was freed\r\n."));
                r.probe(PROBE + k, end.startsWith("250"));
                if (end.startsWith("250")) {
                    r.note("ingress answered 250 again after " + (k + 1) + " probe(s)");
                    return;
                }
            } catch (UncheckedIOException e) {
                r.probe(PROBE + k, false);
            }
            Thread.sleep(1000); // between probes only; each probe itself waits for its answer
        }
        r.fail("ingress did not answer 250 again after the disk was freed");
    }

    private static void remoteFault(ChaosRun r, Stage stage, SinkReply fault) throws InterruptedException {
        remoteFault(r, stage, fault, REMOTE_FAULTS);
    }

    /** The sink answers {@code fault} at {@code stage} for the next {@code times} transactions, then behaves. */
    private static void remoteFault(ChaosRun r, Stage stage, SinkReply fault, int times) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(times);
        r.remote(req -> req.stage() == stage && left.getAndDecrement() > 0 ? fault : null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // Hold the fault until it has struck its count (or a minute passed): a slow run must not
        // end it before delivery has met it.
        while (left.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int struck = times - Math.max(0, left.get());
        r.note("remote fault struck " + struck + " transactions");
        if (struck == 0) {
            r.fail("the remote fault never struck");
        }
        r.recoverWith(() -> r.remote(SinkBehaviour.acceptAll()));
    }
}
