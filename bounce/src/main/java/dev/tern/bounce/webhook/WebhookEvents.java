package dev.tern.bounce.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.common.policy.Webhook;
import java.io.IOException;

/**
 * Which {@code tern.events} records go to a webhook. Only delivery events: a JSON object with
 * {@code messageId} and {@code outcome} and no {@code kind} (records with a {@code kind}, such as
 * admin audit or accepted events, are other event types). The outcome is compared as text, so an
 * outcome this build does not know (one added later) is sent to an endpoint without an
 * {@code events} filter and skipped by one with a filter, never a failure. Stateless, thread-safe.
 */
final class WebhookEvents {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private WebhookEvents() {
    }

    /** Whether the record value {@code json} is a delivery event {@code webhook} wants. */
    static boolean wanted(byte[] json, Webhook webhook) {
        if (json == null) {
            return false;
        }
        JsonNode event;
        try {
            event = JSON.readTree(json);
        } catch (IOException e) {
            return false;
        }
        if (event == null || !event.isObject() || event.has("kind")) {
            return false;
        }
        JsonNode outcome = event.get("outcome");
        JsonNode id = event.get("messageId");
        return outcome != null && outcome.isTextual() && id != null && id.isTextual() && webhook.wants(outcome.asText());
    }
}
