package dev.tern.bounce.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.AdminAuditEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.policy.Password;
import dev.tern.common.policy.Webhook;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tern.events records a webhook gets: delivery events it wants, nothing else, never a failure. */
class WebhookEventsTest {

    private static Webhook webhook(String... outcomes) {
        return new Webhook("crm", URI.create("http://127.0.0.1:1/"), new Password("s"), Path.of("s"), Set.of(outcomes),
                10, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true);
    }

    private static byte[] delivery(Outcome outcome) {
        return new DeliveryEvent("Q1", "bob@example.org", "alice@example.com", "example.org", "mx", null, null, null,
                250, "2.0.0 ok", 1, 12, outcome, 1L).toJson();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEndpointWithoutFilterGetsEveryDeliveryEventEvenOfAnOutcomeNotKnownHere() {
        var all = webhook();
        for (Outcome o : Outcome.values()) {
            assertThat(WebhookEvents.wanted(delivery(o), all)).as(o.name()).isTrue();
        }
        assertThat(WebhookEvents.wanted(json("{\"messageId\":\"Q1\",\"outcome\":\"OPENED\",\"new\":1}"), all)).isTrue();
    }

    @Test
    void aFilterKeepsOnlyItsOutcomes() {
        var bounces = webhook("BOUNCED", "COMPLAINED");
        assertThat(WebhookEvents.wanted(delivery(Outcome.BOUNCED), bounces)).isTrue();
        assertThat(WebhookEvents.wanted(delivery(Outcome.COMPLAINED), bounces)).isTrue();
        assertThat(WebhookEvents.wanted(delivery(Outcome.DELIVERED), bounces)).isFalse();
        assertThat(WebhookEvents.wanted(json("{\"messageId\":\"Q1\",\"outcome\":\"OPENED\"}"), bounces)).isFalse();
    }

    @Test
    void otherEventKindsAndJunkAreSkipped() {
        var all = webhook();
        byte[] audit = AdminAuditEvent.of("tern-delivery", "ops", "POST", "/admin/x", Map.of(), 200, "::1", 1L).toJson();
        assertThat(WebhookEvents.wanted(audit, all)).isFalse();
        assertThat(WebhookEvents.wanted(json("{\"kind\":\"accepted\",\"messageId\":\"Q1\",\"outcome\":\"DELIVERED\"}"), all))
                .isFalse();
        assertThat(WebhookEvents.wanted(json("not json"), all)).isFalse();
        assertThat(WebhookEvents.wanted(json("{\"messageId\":\"Q1\"} trailing"), all)).isFalse();
        assertThat(WebhookEvents.wanted(json("[1,2]"), all)).isFalse();
        assertThat(WebhookEvents.wanted(json("{\"messageId\":\"Q1\",\"outcome\":5}"), all)).isFalse();
        assertThat(WebhookEvents.wanted(json("{\"outcome\":\"DELIVERED\"}"), all)).isFalse();
        assertThat(WebhookEvents.wanted(null, all)).isFalse();
        assertThat(WebhookEvents.wanted(new byte[0], all)).isFalse();
    }
}
