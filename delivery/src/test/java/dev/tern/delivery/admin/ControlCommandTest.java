package dev.tern.delivery.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ControlCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");

    @Test
    void aBounceOrderRoundTripsAndHoldsUntilItsEnd() throws Exception {
        var c = new ControlCommand("BOUNCE", "Closing.Example", NOW.toEpochMilli(), "domain closed",
                NOW.plusSeconds(3600).toEpochMilli());
        var controls = new OperatorControls();
        ControlCommand.fromJson(c.toJson()).applyTo(controls);

        assertThat(controls.bounceFor("closing.example", NOW)).hasValueSatisfying(b -> {
            assertThat(b.reason()).isEqualTo("domain closed");
            assertThat(b.until()).isEqualTo(NOW.plusSeconds(3600));
        });
        assertThat(controls.bounceFor("closing.example", NOW.plusSeconds(3600))).as("ended by itself").isEmpty();
        assertThat(controls.bounceFor("other.example", NOW)).isEmpty();
        assertThat(controls.isSuspended("closing.example")).as("a bounce is not a suspension").isFalse();

        new ControlCommand(ControlCommand.BOUNCE_CANCEL, "closing.example", NOW.toEpochMilli()).applyTo(controls);
        assertThat(controls.bounced(NOW)).isEmpty();
    }

    @Test
    void readsCommandsWrittenBeforeBounceOrdersExisted() throws Exception {
        var c = ControlCommand.fromJson("""
                {"command":"suspend","destination":"held.example","issuedAt":1}""".getBytes(StandardCharsets.UTF_8));
        var controls = new OperatorControls();
        c.applyTo(controls);
        assertThat(controls.suspended()).containsExactly("held.example");
    }

    @Test
    void aSuspensionAndABounceOrderOfOneDestinationKeepApartOnTheCompactedTopic() {
        assertThat(new ControlCommand(ControlCommand.SUSPEND, "Held.Example", 1).stateKey())
                .isEqualTo(new ControlCommand(ControlCommand.RESUME, "held.example", 2).stateKey());
        assertThat(new ControlCommand(ControlCommand.BOUNCE, "held.example", 1, "r", 5).stateKey())
                .isEqualTo(new ControlCommand(ControlCommand.BOUNCE_CANCEL, "held.example", 2).stateKey())
                .isNotEqualTo(new ControlCommand(ControlCommand.SUSPEND, "held.example", 1).stateKey());
    }

    @Test
    void refusesABounceWithoutAnEndAndUnknownCommands() {
        assertThatThrownBy(() -> new ControlCommand(ControlCommand.BOUNCE, "x.example", 1, "r", 0))
                .hasMessageContaining("until");
        assertThatThrownBy(() -> new ControlCommand("vaporise", "x.example", 1)).hasMessageContaining("vaporise");
    }
}
