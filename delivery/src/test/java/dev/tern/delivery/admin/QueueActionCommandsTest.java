package dev.tern.delivery.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.policy.Transport;
import dev.tern.common.queue.Provenance;
import dev.tern.common.queue.QueuedEnvelope;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.delivery.admin.QueueSelector.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue actions' control orders (reroute, hold, release, purge, moved): parsing, keys, and what they match. */
class QueueActionCommandsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static QueuedMessage message(String id, String sender, Instant received, String... rcpts) {
        return new QueuedMessage(id, QueuedEnvelope.of(sender, List.of(rcpts).stream().map(QueuedRecipient::of).toList()),
                new Provenance("127.0.0.1", "client.test", null, null), Schedule.firstAttempt(received),
                "x".getBytes(StandardCharsets.US_ASCII));
    }

    private static ControlCommand parse(String json) throws Exception {
        return ControlCommand.fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRerouteParsesItsTransportAndMxUndoesIt() throws Exception {
        var c = parse("{\"command\":\"REROUTE\",\"destination\":\"Slow.Example\",\"via\":\"lmtp://127.0.0.1:2424\",\"issuedAt\":1}");
        assertThat(c.via()).isEqualTo("lmtp://127.0.0.1:2424");
        assertThat(ControlCommand.fromJson(c.toJson())).isEqualTo(c);
        var controls = new OperatorControls();
        c.applyTo(controls);
        assertThat(controls.rerouteFor("slow.example")).contains(new Transport(Transport.Kind.LMTP, "127.0.0.1", 2424));
        assertThat(controls.rerouteFor("other.example")).isEmpty();
        assertThat(c.stateKey()).isEqualTo(ControlCommand.reroute("slow.example", "mx", 2).stateKey());

        ControlCommand.reroute("slow.example", "MX", 2).applyTo(controls);
        assertThat(controls.rerouteFor("slow.example")).isEmpty();
    }

    @Test
    void aRerouteNeedsAKnownTransportWithoutCredentials() {
        assertThatThrownBy(() -> ControlCommand.reroute("x.example", "", 1)).hasMessageContaining("via");
        assertThatThrownBy(() -> ControlCommand.reroute("x.example", "http://relay:25", 1))
                .hasMessageContaining("smtp://host:port");
        assertThatThrownBy(() -> ControlCommand.reroute("x.example", "smtp://user@relay:587", 1))
                .hasMessageContaining("authenticate");
        assertThatThrownBy(() -> ControlCommand.reroute(" ", "mx", 1)).hasMessageContaining("destination");
    }

    @Test
    void holdAndReleaseShareOneKeyPerMessage() throws Exception {
        var hold = ControlCommand.message(ControlCommand.HOLD, "q1", 1);
        var release = ControlCommand.message(ControlCommand.RELEASE, "q1", 2);
        assertThat(hold.stateKey()).isEqualTo(release.stateKey())
                .isNotEqualTo(ControlCommand.message(ControlCommand.HOLD, "q2", 1).stateKey());
        var controls = new OperatorControls();
        ControlCommand.fromJson(hold.toJson()).applyTo(controls);
        assertThat(controls.isHeld("q1")).isTrue();
        assertThat(controls.heldCount()).isEqualTo(1);
        ControlCommand.fromJson(release.toJson()).applyTo(controls);
        assertThat(controls.isHeld("q1")).isFalse();
        assertThat(controls.heldCount()).isZero();
        assertThatThrownBy(() -> parse("{\"command\":\"hold\",\"issuedAt\":1}")).hasMessageContaining("queue id");
    }

    @Test
    void aPurgeNeedsExactlyOneSelectorAndAnEnd() {
        assertThatThrownBy(() -> parse("{\"command\":\"purge\",\"destination\":\"a.example\",\"sender\":\"s@x\",\"until\":5}"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> parse("{\"command\":\"purge\",\"until\":5}")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> parse("{\"command\":\"purge\",\"id\":\"q1\"}")).hasMessageContaining("until");
    }

    @Test
    void aPurgeRoundTripsAndCoversOnlyMailReceivedBeforeItUntilItEnds() throws Exception {
        var selector = new QueueSelector(Field.DESTINATION, "Gone.Example");
        var c = ControlCommand.fromJson(ControlCommand.purge(selector, NOW.toEpochMilli(),
                NOW.plus(Duration.ofHours(1)).toEpochMilli()).toJson());
        assertThat(c.selector()).isEqualTo(selector);
        assertThat(c.stateKey()).isEqualTo("purge destination Gone.Example");
        var controls = new OperatorControls();
        c.applyTo(controls);

        var old = message("q1", "a@sender.example", NOW.minusSeconds(60), "x@gone.example", "y@kept.example");
        var later = message("q2", "a@sender.example", NOW.plusSeconds(1), "x@gone.example");
        assertThat(controls.purged(old, old.recipients().get(0), null, NOW.plusSeconds(5))).isTrue();
        assertThat(controls.purged(old, old.recipients().get(1), null, NOW.plusSeconds(5))).as("other domain").isFalse();
        assertThat(controls.purged(later, later.recipients().get(0), null, NOW.plusSeconds(5)))
                .as("received after the order").isFalse();
        assertThat(controls.purged(old, old.recipients().get(0), null, NOW.plus(Duration.ofHours(1))))
                .as("the order ended").isFalse();
    }

    @Test
    void selectorsMatchDestinationByDomainOrRouteSenderRecipientAndId() {
        var m = message("Q1", "Alice@Sender.Example", NOW, "bob@Mail.Example", "carol@other.example");
        QueuedRecipient bob = m.recipients().get(0);
        QueuedRecipient carol = m.recipients().get(1);
        assertThat(new QueueSelector(Field.DESTINATION, "mail.example").matches(m, bob, "mail.example")).isTrue();
        assertThat(new QueueSelector(Field.DESTINATION, "mail.example").matches(m, carol, "other.example")).isFalse();
        assertThat(new QueueSelector(Field.DESTINATION, "smtp://relay:25").matches(m, carol, "smtp://relay:25")).isTrue();
        assertThat(new QueueSelector(Field.DESTINATION, "smtp://relay:25").matches(m, carol, null)).isFalse();
        assertThat(new QueueSelector(Field.SENDER, "alice@sender.example").matches(m, carol, null)).isTrue();
        assertThat(new QueueSelector(Field.SENDER, "eve@sender.example").matches(m, carol, null)).isFalse();
        assertThat(new QueueSelector(Field.RECIPIENT, "BOB@mail.example").matches(m, bob, null)).isTrue();
        assertThat(new QueueSelector(Field.RECIPIENT, "bob@mail.example").matches(m, carol, null)).isFalse();
        assertThat(new QueueSelector(Field.ID, "Q1").matches(m, carol, null)).isTrue();
        assertThat(new QueueSelector(Field.ID, "q1").matches(m, carol, null)).as("ids are exact").isFalse();

        var bounce = message("Q2", "", NOW, "dave@mail.example");
        assertThat(new QueueSelector(Field.SENDER, "<>").matches(bounce, bounce.recipients().get(0), null)).isTrue();
        assertThat(new QueueSelector(Field.SENDER, "<>").matches(m, bob, null)).isFalse();
        assertThatThrownBy(() -> new QueueSelector(Field.ID, " ")).hasMessageContaining("id");
    }

    @Test
    void movedRecipientsAreKnownPerRecordUntilTheOrderEnds() throws Exception {
        var c = ControlCommand.fromJson(ControlCommand.moved(List.of(
                OperatorControls.movedEntry("tern.retry.1h", 1, 42, "a@x.example"),
                OperatorControls.movedEntry("tern.retry.1h", 1, 42, "b=c@x.example")),
                NOW.toEpochMilli(), NOW.plusSeconds(60).toEpochMilli()).toJson());
        assertThat(c.stateKey()).isEqualTo("moved tern.retry.1h/1/42=a@x.example");
        var controls = new OperatorControls();
        c.applyTo(controls);
        assertThat(controls.movedRecipients("tern.retry.1h", 1, 42, NOW)).containsExactlyInAnyOrder("a@x.example",
                "b=c@x.example");
        assertThat(controls.movedRecipients("tern.retry.1h", 1, 43, NOW)).isEmpty();
        assertThat(controls.movedRecipients("tern.retry.1h", 0, 42, NOW)).isEmpty();
        assertThat(controls.movedRecipients("tern.retry.1h", 1, 42, NOW.plusSeconds(60))).isEmpty();
        assertThatThrownBy(() -> parse("{\"command\":\"moved\",\"until\":5}")).hasMessageContaining("records");
    }
}
