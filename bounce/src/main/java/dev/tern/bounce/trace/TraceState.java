package dev.tern.bounce.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a traced message stands, from its attempts: the latest outcome of each recipient decides
 * for that recipient ({@code COMPLAINED} is about a delivered message and changes nothing), and
 * the message is
 * <ul>
 *   <li>{@code queued}: no attempt yet for some recipient, none deferred;</li>
 *   <li>{@code deferred}: some recipient's latest attempt was deferred (still queued);</li>
 *   <li>{@code bounced}: every recipient is final and at least one bounced (or was dropped);</li>
 *   <li>{@code expired}: every recipient is final, none bounced, at least one expired;</li>
 *   <li>{@code delivered}: every recipient was delivered.</li>
 * </ul>
 * Recipients are those of the accepted record plus any an attempt names (the accepted record may
 * be missing: it is written best effort).
 */
final class TraceState {

    static final String QUEUED = "queued";
    static final String DEFERRED = "deferred";
    static final String BOUNCED = "bounced";
    static final String EXPIRED = "expired";
    static final String DELIVERED = "delivered";

    private TraceState() {
    }

    /** @param message the stored trace of one message ({@code accepted}, {@code attempts}) */
    static String of(JsonNode message) {
        Set<String> recipients = new LinkedHashSet<>();
        message.path("accepted").path("recipients").forEach(r -> recipients.add(TraceIndex.normalize(r.asText())));
        Map<String, String> latest = new LinkedHashMap<>();
        Map<String, Long> latestAt = new LinkedHashMap<>();
        for (JsonNode a : message.path("attempts")) {
            String outcome = a.path("outcome").asText("");
            if (outcome.isEmpty() || outcome.equals("COMPLAINED")) {
                continue;
            }
            String r = TraceIndex.normalize(a.path("recipient").asText());
            recipients.add(r);
            long at = a.path("timestamp").asLong();
            if (!latestAt.containsKey(r) || at >= latestAt.get(r)) {
                latest.put(r, outcome);
                latestAt.put(r, at);
            }
        }
        if (recipients.isEmpty()) {
            return QUEUED;
        }
        boolean pending = false;
        boolean deferred = false;
        boolean bounced = false;
        boolean expired = false;
        for (String r : recipients) {
            String outcome = latest.get(r);
            if (outcome == null) {
                pending = true;
                continue;
            }
            switch (outcome) {
                case "DEFERRED" -> deferred = true;
                case "BOUNCED", "DROPPED" -> bounced = true;
                case "EXPIRED" -> expired = true;
                case "DELIVERED" -> { }
                default -> pending = true;
            }
        }
        if (deferred) {
            return DEFERRED;
        }
        if (pending) {
            return QUEUED;
        }
        return bounced ? BOUNCED : expired ? EXPIRED : DELIVERED;
    }
}
