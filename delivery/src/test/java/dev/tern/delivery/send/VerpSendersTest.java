package dev.tern.delivery.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Feedback;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.smtp.dsn.Ret;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerpSendersTest {

    private static final String ID = "01JEAXK3Q5ZV8M2R7T9W4Y6B1C";
    private static final Feedback ON = new Feedback(true, "bounce.example.org", "bounce");

    private static QueuedMessage message(String sender) {
        return new QueuedMessage(ID, new QueuedEnvelope(sender, List.of(QueuedRecipient.of("bob@example.net"),
                QueuedRecipient.of("carol@example.net")), "env-1", Ret.HDRS, null, true),
                new Provenance("192.0.2.1", "client.test", null, null), Schedule.firstAttempt(Instant.EPOCH),
                "Subject: x\r\n\r\nbody\r\n".getBytes());
    }

    @Test
    void onlyNonNullSendersWithVerpEnabledAreRewritten() {
        assertThat(VerpSenders.applies(ON, message("alice@example.org"))).isTrue();
        assertThat(VerpSenders.applies(ON, message(""))).isFalse();
        assertThat(VerpSenders.applies(new Feedback(false, "bounce.example.org", "bounce"), message("a@b.org"))).isFalse();
        assertThat(VerpSenders.applies(Feedback.NONE, message("a@b.org"))).isFalse();
    }

    @Test
    void theCopyForOneRecipientChangesOnlyTheEnvelopeSender() {
        QueuedMessage m = message("alice@example.org");
        QueuedMessage sent = VerpSenders.forRecipient(ON, m, m.recipients().get(1));
        assertThat(sent.sender()).isEqualTo("bounce+" + ID + "+carol=example.net@bounce.example.org");
        assertThat(sent.id()).isEqualTo(m.id());
        assertThat(sent.body()).isEqualTo(m.body());
        assertThat(sent.envelope().envid()).isEqualTo("env-1");
        assertThat(sent.envelope().ret()).isEqualTo(Ret.HDRS);
        assertThat(sent.envelope().smtputf8()).isTrue();
        assertThat(m.sender()).isEqualTo("alice@example.org");
    }
}
