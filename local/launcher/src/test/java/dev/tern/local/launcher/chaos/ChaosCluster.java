package dev.tern.local.launcher.chaos;

import dev.tern.local.launcher.ClusterFixture;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import java.util.Map;

/**
 * The {@code --ha} cluster the chaos cases run on, started through the same {@code LocalCluster}
 * code as {@code ./tern-local --ha}, with a real SMTP sink as every {@code *.test} domain. Its
 * policy retries after 2 s and 4 s and gives {@code remote.test} a data timeout of
 * {@value ChaosCases#DATA_TIMEOUT}, so the hung-remote case costs seconds; the sink refuses
 * {@value ChaosRun#GONE}* mailboxes with 550, which the bounce cases send to.
 */
public final class ChaosCluster implements AutoCloseable {

    private static final SinkBehaviour BASE =
            SinkBehaviour.rejectRecipients(r -> r.startsWith(ChaosRun.GONE), SinkReply.of(550, "5.1.1 chaos: no such user"));

    private final ClusterFixture fixture;
    private final SinkTally tally;

    private ChaosCluster(ClusterFixture fixture) {
        this.fixture = fixture;
        this.tally = new SinkTally(fixture.sink);
        fixture.sink.behaviour(BASE);
    }

    public static ChaosCluster start() {
        return new ChaosCluster(ClusterFixture.startHa("[2s, 4s]", Map.of("remote.test",
                "{max-connections: 20, max-messages-per-connection: 100, data-timeout: " + ChaosCases.DATA_TIMEOUT + "}"),
                Map.of()));
    }

    public ClusterFixture fixture() {
        return fixture;
    }

    /** Runs one case and returns its row; the cluster is whole again afterwards. */
    public ChaosRow run(ChaosCase chaosCase) throws Exception {
        return new ChaosRun(fixture, tally, chaosCase, BASE).execute();
    }

    @Override
    public void close() {
        fixture.close();
    }
}
