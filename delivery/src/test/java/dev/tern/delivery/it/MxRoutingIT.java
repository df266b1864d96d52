package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.delivery.support.TestDnsServer;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MX routing over the wire: a DNS server on loopback answers the delivery service's MX and A
 * queries; MX hosts are 127.0.0.x, and the SMTP sink listens on 127.0.0.1 at the configured MX port.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class MxRoutingIT {

    static SmtpSink sink;
    static TestDnsServer dns;
    static QueueProbe queue;

    @BeforeAll
    static void start() throws Exception {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).start();
        dns = new TestDnsServer(DeliveryTestResource.TestPorts.dns())
                .mx("mx.test", 10, "mail.mx.test").a("mail.mx.test", "127.0.0.1")
                // Preferred MX refuses connections (nothing listens on 127.0.0.2): the next MX takes it.
                .mx("backup.test", 10, "down.backup.test").a("down.backup.test", "127.0.0.2")
                .mx("backup.test", 20, "up.backup.test").a("up.backup.test", "127.0.0.1")
                .a("nomx.test", "127.0.0.1")
                .nullMx("nullmx.test");
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        dns.close();
        queue.close();
    }

    private static List<DeliveryEvent> events(String id) {
        return Eventually.await(Duration.ofSeconds(30), () -> queue.events(id), e -> !e.isEmpty());
    }

    @Test
    void deliversToTheMxHost() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "kim@mx.test");
        queue.enqueue(m);
        assertThat(events(m.id())).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.mxHost()).isEqualTo("mail.mx.test");
            assertThat(e.mxIp()).isEqualTo("127.0.0.1");
            assertThat(e.destination()).isEqualTo("mx.test");
        });
    }

    @Test
    void triesTheNextMxWhenTheFirstRefusesTheConnection() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "lee@backup.test");
        queue.enqueue(m);
        assertThat(events(m.id())).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.mxHost()).isEqualTo("up.backup.test");
        });
    }

    @Test
    void fallsBackToTheAddressRecordWithoutMx() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "mia@nomx.test");
        queue.enqueue(m);
        assertThat(events(m.id())).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.mxHost()).isEqualTo("nomx.test");
        });
    }

    @Test
    void bouncesNullMxDomainsWith5110() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "ned@nullmx.test");
        queue.enqueue(m);
        assertThat(events(m.id())).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.BOUNCED);
            assertThat(e.replyCode()).isEqualTo(556);
            assertThat(e.replyText()).startsWith("5.1.10");
        });
        assertThat(queue.queued(Topics.FAILED, m.id())).singleElement()
                .satisfies(f -> assertThat(f.recipients().get(0).lastReply().toString()).startsWith("556 5.1.10"));
    }

    @Test
    void bouncesNonexistentDomainsWith512() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "olga@nxdomain.test");
        queue.enqueue(m);
        assertThat(events(m.id())).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.BOUNCED);
            assertThat(e.replyText()).startsWith("5.1.2");
        });
    }

    @Test
    void defersWhenTheDnsServerFails() throws Exception {
        dns.servfail("servfail.test");
        var m = QueueProbe.message("alice@sender.test", "pat@servfail.test");
        queue.enqueue(m);
        assertThat(events(m.id()).get(0)).satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(e.replyText()).startsWith("4.4.3");
        });
    }
}
