package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Topics;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LMTP delivery ({@code lmtp.test} → the LMTP sink, RFC 2033): one reply per recipient after the
 * data, so one message can be delivered to one mailbox and refused by another in the same
 * transaction. {@code over-*} mailboxes are over quota (552 after the data, permanent).
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class LmtpDeliveryIT {

    static SmtpSink lmtp;
    static QueueProbe queue;

    @BeforeAll
    static void start() {
        lmtp = SmtpSink.builder().lmtp().port(DeliveryTestResource.TestPorts.lmtp())
                .behaviour(r -> r.stage() == SinkRequest.Stage.DATA && r.recipient() != null
                        && r.recipient().startsWith("over-") ? SinkReply.of(552, "5.2.2 mailbox full") : null)
                .start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        lmtp.close();
        queue.close();
    }

    @Test
    void deliversToMailboxesWithPerRecipientReplies() throws Exception {
        var m = QueueProbe.message("alice@sender.test", "ivan@lmtp.test", "over-judy@lmtp.test");
        queue.enqueue(m);

        var events = Eventually.await(Duration.ofSeconds(30), () -> queue.events(m.id()), e -> e.size() >= 2);
        assertThat(events).extracting(DeliveryEvent::recipient, DeliveryEvent::outcome).containsExactlyInAnyOrder(
                tuple("ivan@lmtp.test", Outcome.DELIVERED), tuple("over-judy@lmtp.test", Outcome.BOUNCED));
        assertThat(events).allSatisfy(e -> assertThat(e.transport()).startsWith("lmtp://"));
        assertThat(lmtp.messages()).filteredOn(r -> r.bodyText().contains(m.id()))
                .flatExtracting(ReceivedMessage::recipients).containsExactly("ivan@lmtp.test");
        assertThat(queue.queued(Topics.FAILED, m.id())).singleElement().satisfies(f -> {
            assertThat(f.recipients()).extracting(QueuedRecipient::address).containsExactly("over-judy@lmtp.test");
            assertThat(f.recipients().get(0).lastReply().toString()).isEqualTo("552 5.2.2 mailbox full");
        });
    }
}
