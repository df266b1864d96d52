package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slow remote server with more mail queued than the in-flight bound: the pod works on at most
 * {@code max-in-flight} records at once (visible as concurrent connections at the sink), pauses
 * its partitions meanwhile instead of leaving the group, and delivers everything in the end.
 */
@QuarkusTest
@TestProfile(BoundedInFlightIT.TwoInFlight.class)
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class BoundedInFlightIT {

    public static final class TwoInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tern.delivery.max-in-flight", "2", "tern.delivery.group-id", "tern-delivery-bounded");
        }
    }

    static SmtpSink sink;
    static QueueProbe queue;

    @BeforeAll
    static void start() {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).behaviour(r -> {
            if (r.stage() == SinkRequest.Stage.DATA) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        }).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        queue.close();
    }

    @Test
    void deliversEverythingWithAtMostMaxInFlightAtOnce() throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            var m = QueueProbe.message("alice@sender.test", "slow" + i + "@relay.test");
            ids.add(m.id());
            queue.enqueue(m);
        }
        long delivered = Eventually.await(Duration.ofSeconds(40), () -> ids.stream()
                .filter(id -> sink.messages().stream().anyMatch(r -> r.bodyText().contains(id))).count(), n -> n == 8);
        assertThat(delivered).isEqualTo(8);
        assertThat(sink.maxConcurrentConnections()).isBetween(1, 2);
    }
}
