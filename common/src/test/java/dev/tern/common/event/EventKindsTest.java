package dev.tern.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventKindsTest {

    @Test
    void aDeliveryEventHasNoKindAndTheOthersNameTheirs() {
        var delivery = new DeliveryEvent("Q1", "bob@example.org", "alice@example.com", "example.org", "mx",
                "mx.example.org", "192.0.2.1", null, 250, "2.0.0 ok", 1, 12, DeliveryEvent.Outcome.DELIVERED, 1L);
        var audit = AdminAuditEvent.of("tern-delivery", "ops", "POST", "/admin/x", Map.of(), 200, "127.0.0.1", 1L);
        var accepted = new AcceptedEvent(null, "Q1", "<m@x>", "alice@example.com", List.of("bob@example.org"),
                "192.0.2.9", "client.test", "ingress-0", "smtp", 100, null, 1L);

        assertThat(EventKinds.of(delivery.toJson())).isEqualTo(EventKinds.DELIVERY);
        assertThat(EventKinds.isDelivery(delivery.toJson())).isTrue();
        assertThat(EventKinds.of(audit.toJson())).isEqualTo("admin-audit");
        assertThat(EventKinds.of(accepted.toJson())).isEqualTo("accepted");
        assertThat(EventKinds.isDelivery(accepted.toJson())).isFalse();
    }

    @Test
    void kindIsFoundAfterNestedValuesAndNotInsideThem() {
        assertThat(EventKinds.of(bytes("{\"a\":{\"kind\":\"inner\"},\"b\":[1,{\"kind\":2}],\"kind\":\"later\"}")))
                .isEqualTo("later");
        assertThat(EventKinds.of(bytes("{\"a\":{\"kind\":\"inner\"}}"))).isEqualTo(EventKinds.DELIVERY);
    }

    @Test
    void somethingThatIsNotAJsonObjectHasNoKind() {
        assertThat(EventKinds.of(bytes("[1,2]"))).isNull();
        assertThat(EventKinds.of(bytes("not json"))).isNull();
        assertThat(EventKinds.of(bytes("{\"kind\":"))).isNull();
        assertThat(EventKinds.of(null)).isNull();
    }

    @Test
    void anAcceptedEventSurvivesTheRoundTrip() {
        var accepted = new AcceptedEvent("ignored", "Q1", "<m@x>", "", List.of("a@b", "c@d"), "192.0.2.9",
                "client.test", "ingress-0", "submission", 100, "milter said so", 5L);
        var back = AcceptedEvent.fromJson(accepted.toJson());
        assertThat(back).isEqualTo(accepted);
        assertThat(back.kind()).isEqualTo(AcceptedEvent.KIND);
        assertThat(accepted.toRecord("tern.events").key()).isEqualTo("Q1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
