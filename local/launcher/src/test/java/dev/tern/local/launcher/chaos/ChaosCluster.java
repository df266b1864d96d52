package dev.tern.local.launcher.chaos;

import dev.tern.local.launcher.ClusterFixture;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code --ha} cluster the chaos cases run on, started through the same {@code LocalCluster}
 * code as {@code ./tern-local --ha}, with a real SMTP sink as every {@code *.test} domain. Its
 * policy retries after 2 s and 4 s and gives {@code remote.test} a data timeout of
 * {@value ChaosCases#DATA_TIMEOUT}, so the hung-remote case costs seconds; the sink refuses
 * {@value ChaosRun#GONE}* mailboxes with 550, which the bounce cases send to.
 */
public final class ChaosCluster implements AutoCloseable {

    private static final Map<String, String> REMOTE = Map.of("remote.test",
            "{max-connections: 20, max-messages-per-connection: 100, data-timeout: " + ChaosCases.DATA_TIMEOUT + "}");
    private static final SinkBehaviour BASE =
            SinkBehaviour.rejectRecipients(r -> r.startsWith(ChaosRun.GONE), SinkReply.of(550, "5.1.1 chaos: no such user"));

    private final ClusterFixture fixture;
    private final SinkTally tally;
    private final Path mount;

    private ChaosCluster(ClusterFixture fixture, Path mount) {
        this.fixture = fixture;
        this.mount = mount;
        this.tally = new SinkTally(fixture.sink);
        fixture.sink.behaviour(BASE);
    }

    public static ChaosCluster start() {
        return new ChaosCluster(ClusterFixture.startHa("[2s, 4s]", REMOTE, Map.of()), null);
    }

    /**
     * A single-node cluster whose Kafka log lives on a tmpfs of {@code megabytes} mounted at
     * {@code <data>/kafka} (needs root), for the disk-full case: the HA cluster's three brokers
     * share one data directory created before any mount could go under it. {@link #close()}
     * unmounts it.
     */
    public static ChaosCluster startOnSmallKafkaDisk(int megabytes) {
        Path[] mounted = new Path[1];
        try {
            ClusterFixture fixture = ClusterFixture.startSingle("[2s, 4s]", REMOTE, data -> {
                Path kafka = data.resolve("kafka");
                try {
                    Files.createDirectories(kafka);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", kafka.toString());
                mounted[0] = kafka;
            });
            return new ChaosCluster(fixture, mounted[0]);
        } catch (RuntimeException e) {
            if (mounted[0] != null) {
                unmount(mounted[0]);
            }
            throw e;
        }
    }

    /** Kafka's log directory when it is on the small tmpfs, else null. */
    public Path smallKafkaDisk() {
        return mount;
    }

    private static void unmount(Path at) {
        try {
            run("umount", at.toString());
        } catch (RuntimeException busy) {
            run("umount", "-l", at.toString());
        }
    }

    private static void deleteEmptyDirs(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover empty directory in /tmp is untidy, not wrong.
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(p.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ClusterFixture fixture() {
        return fixture;
    }

    /** Runs one case and returns its row; the cluster is whole again afterwards. */
    public ChaosRow run(ChaosCase chaosCase) throws Exception {
        return new ChaosRun(fixture, tally, chaosCase, BASE, mount).execute();
    }

    @Override
    public void close() {
        try {
            fixture.close();
        } finally {
            if (mount != null) {
                unmount(mount);
                // The fixture deleted what it could; the mount point itself was busy until now.
                if (!Boolean.getBoolean("tern.test.keep-logs")) {
                    deleteEmptyDirs(mount.getParent().getParent());
                }
            }
        }
    }
}
