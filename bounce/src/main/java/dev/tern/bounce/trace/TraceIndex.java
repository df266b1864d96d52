package dev.tern.bounce.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.common.event.AcceptedEvent;
import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.queue.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The message trace (docs/ARCHITECTURE.md, "Message trace and ternctl"): what happened to each
 * message, from its {@code accepted} record through every delivery attempt to the DSN the bounce
 * service sent about it, kept in a {@link TraceStore} for the retention.
 *
 * <p>Entries, all JSON text with the retention as lifespan (renewed by every write):
 * <ul>
 *   <li>{@code q:<queue id>}: {@code {id, accepted, attempts[], notices[]}} — the accepted record
 *       and each delivery event as they were on {@code tern.events} (so fields added later, like
 *       a bounce {@code category}, appear without a change here), a deferred attempt with the
 *       {@code retryTier} its message waits on;</li>
 *   <li>{@code m:<Message-ID>} (without angle brackets): the queue ids that carried it;</li>
 *   <li>{@code r:<recipient>} (lower case): {@code [{t, id}]}, when each message for it was first
 *       seen, the newest {@value #MAX_PER_KEY} kept.</li>
 * </ul>
 * Every write is idempotent (a repeated record changes nothing), since the events consumer is
 * at-least-once. Thread-safe; asynchronous.
 */
public final class TraceIndex {

    /** Most queue ids kept under one Message-ID or recipient; the oldest go first. */
    static final int MAX_PER_KEY = 1000;
    /** Most messages one lookup answers with (the newest). */
    public static final int MAX_RESULTS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TraceStore store;
    private final Supplier<Duration> retention;
    private final Supplier<List<Duration>> retryLadder;
    private final Clock clock;

    /**
     * @param retention   how long a message's trace is kept after its last record
     * @param retryLadder the live policy's retry ladder, to name the tier a deferred attempt waits on
     */
    public TraceIndex(TraceStore store, Supplier<Duration> retention, Supplier<List<Duration>> retryLadder,
            Clock clock) {
        this.store = store;
        this.retention = retention;
        this.retryLadder = retryLadder;
        this.clock = clock;
    }

    /** Indexes an ingress {@code accepted} record. */
    public CompletionStage<Void> accepted(AcceptedEvent event) {
        ObjectNode node = JSON.valueToTree(event);
        node.remove("kind");
        String id = event.id();
        var writes = new ArrayList<CompletionStage<Void>>();
        writes.add(update(messageKey(id), m -> m.set("accepted", node)));
        if (event.messageId() != null && !stripBrackets(event.messageId()).isEmpty()) {
            writes.add(store.update(messageIdKey(event.messageId()), (TreeChange) v -> withId(v, id), retention.get()));
        }
        for (String r : new LinkedHashSet<>(event.recipients())) {
            writes.add(store.update(recipientKey(r), (TreeChange) v -> withSighting(v, id, event.timestamp()),
                    retention.get()));
        }
        return all(writes);
    }

    /**
     * Indexes one delivery event, given as its JSON (all fields kept, including ones this
     * version does not know).
     */
    public CompletionStage<Void> delivery(byte[] json) {
        DeliveryEvent event = DeliveryEvent.fromJson(json);
        ObjectNode node = tree(json);
        node.remove("messageId");
        if (event.outcome() == DeliveryEvent.Outcome.DEFERRED) {
            node.put("retryTier", retryTier(event.attempt()));
        }
        String id = event.messageId();
        CompletionStage<Void> attempt = update(messageKey(id), m -> {
            ArrayNode attempts = m.withArray("attempts");
            for (JsonNode a : attempts) {
                if (sameAttempt(a, node)) {
                    return;
                }
            }
            var sorted = new ArrayList<JsonNode>();
            attempts.forEach(sorted::add);
            sorted.add(node);
            sorted.sort(Comparator.comparingLong(a -> a.path("timestamp").asLong()));
            attempts.removeAll();
            sorted.forEach(attempts::add);
        });
        CompletionStage<Void> recipient = store.update(recipientKey(event.recipient()),
                (TreeChange) v -> withSighting(v, id, event.timestamp()), retention.get());
        return all(List.of(attempt, recipient));
    }

    /**
     * Records that the bounce service published a notice (DSN) about message {@code queueId}.
     *
     * @param noticeId   the notice's own queue id
     * @param to         the notice's recipient (the original sender)
     * @param action     {@code failed} or {@code delayed} (RFC 3464 Action)
     * @param recipients the original recipients the notice reports on
     */
    public CompletionStage<Void> notice(String queueId, String noticeId, String to, String action,
            List<String> recipients) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("id", noticeId);
        notice.put("to", to);
        notice.put("action", action);
        notice.set("recipients", JSON.valueToTree(recipients));
        notice.put("timestamp", clock.millis());
        return update(messageKey(queueId), m -> {
            ArrayNode notices = m.withArray("notices");
            for (JsonNode n : notices) {
                if (noticeId.equals(n.path("id").asText()) && action.equals(n.path("action").asText())) {
                    return;
                }
            }
            notices.add(notice);
        });
    }

    /** The trace of one queue id: empty, or one message. */
    public CompletionStage<List<ObjectNode>> byId(String queueId) {
        return messages(List.of(queueId.trim()));
    }

    /** The traces of the messages that carried {@code messageId} (with or without angle brackets). */
    public CompletionStage<List<ObjectNode>> byMessageId(String messageId) {
        String key = messageIdKey(messageId);
        return store.getAll(List.of(key)).thenCompose(found -> {
            List<String> ids = new ArrayList<>();
            array(found.get(key)).forEach(id -> ids.add(id.asText()));
            return messages(ids);
        });
    }

    /** The traces of the messages for {@code recipient} first seen in {@code [since, until]}. */
    public CompletionStage<List<ObjectNode>> byRecipient(String recipient, Instant since, Instant until) {
        String key = recipientKey(recipient);
        return store.getAll(List.of(key)).thenCompose(found -> {
            List<String> ids = new ArrayList<>();
            for (JsonNode s : array(found.get(key))) {
                long t = s.path("t").asLong();
                if (t >= since.toEpochMilli() && t <= until.toEpochMilli()) {
                    ids.add(s.path("id").asText());
                }
            }
            return messages(ids);
        });
    }

    private CompletionStage<List<ObjectNode>> messages(List<String> ids) {
        List<String> newest = ids.size() > MAX_RESULTS ? ids.subList(ids.size() - MAX_RESULTS, ids.size()) : ids;
        List<String> keys = newest.stream().map(TraceIndex::messageKey).toList();
        return store.getAll(keys).thenApply(found -> {
            var out = new ArrayList<ObjectNode>();
            for (String key : keys) {
                String value = found.get(key);
                if (value != null) {
                    out.add(view((ObjectNode) tree(value)));
                }
            }
            out.sort(Comparator.comparingLong(TraceIndex::firstSeen));
            return out;
        });
    }

    /** The answer for one message: the stored trace plus its {@code state} and the {@code dsn} sent. */
    static ObjectNode view(ObjectNode stored) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", stored.path("id").asText());
        if (stored.has("accepted")) {
            out.set("accepted", stored.get("accepted"));
        }
        out.set("attempts", stored.has("attempts") ? stored.get("attempts") : JSON.createArrayNode());
        out.put("state", TraceState.of(stored));
        JsonNode dsn = null;
        for (JsonNode n : stored.path("notices")) {
            // The failure notice is the last word; a delay notice only until there is one.
            if (dsn == null || !"failed".equals(dsn.path("action").asText())) {
                dsn = n;
            }
        }
        if (dsn != null) {
            out.set("dsn", dsn);
            out.set("notices", stored.get("notices"));
        }
        return out;
    }

    /** The same event read twice (at-least-once): same recipient, attempt number, outcome and time. */
    private static boolean sameAttempt(JsonNode a, JsonNode b) {
        return a.path("recipient").asText().equals(b.path("recipient").asText())
                && a.path("attempt").asInt() == b.path("attempt").asInt()
                && a.path("outcome").asText().equals(b.path("outcome").asText())
                && a.path("timestamp").asLong() == b.path("timestamp").asLong()
                && a.path("transport").asText().equals(b.path("transport").asText());
    }

    private static long firstSeen(ObjectNode view) {
        if (view.has("accepted")) {
            return view.get("accepted").path("timestamp").asLong();
        }
        return view.path("attempts").path(0).path("timestamp").asLong();
    }

    private String retryTier(int attempt) {
        List<Duration> ladder = retryLadder.get();
        if (ladder.isEmpty()) {
            return null;
        }
        int rung = Math.max(0, Math.min(attempt - 1, ladder.size() - 1));
        return Topics.retryTopic(ladder.get(rung));
    }

    private CompletionStage<Void> update(String key, java.util.function.Consumer<ObjectNode> change) {
        String id = key.substring(2);
        return store.update(key, (TreeChange) v -> {
            ObjectNode m = v == null ? JSON.createObjectNode() : (ObjectNode) v;
            m.put("id", id);
            change.accept(m);
            return m;
        }, retention.get());
    }

    private static JsonNode withId(JsonNode current, String id) {
        ArrayNode ids = current instanceof ArrayNode a ? a : JSON.createArrayNode();
        for (JsonNode existing : ids) {
            if (existing.asText().equals(id)) {
                return ids;
            }
        }
        ids.add(id);
        while (ids.size() > MAX_PER_KEY) {
            ids.remove(0);
        }
        return ids;
    }

    /**
     * {@code list} (kept sorted by time) with {@code id} seen at {@code at}: the earliest sighting
     * of a message stays, expired ones (a prefix) go, the newest {@value #MAX_PER_KEY} are kept.
     * One pass, no copy and no sort: a busy recipient's list is 1,000 entries long and changes
     * with every message (issue 15's profile).
     */
    private JsonNode withSighting(JsonNode current, String id, long at) {
        ArrayNode list = current instanceof ArrayNode a ? a : JSON.createArrayNode();
        long oldest = clock.millis() - retention.get().toMillis();
        boolean seen = false;
        for (JsonNode s : list) {
            if (s.path("id").asText().equals(id)) {
                if (s.path("t").asLong() <= at) {
                    return list; // the earliest sighting stays: a message keeps the time it was accepted
                }
                seen = true;
            }
        }
        if (seen) { // only later sightings of it: this one replaces them
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).path("id").asText().equals(id)) {
                    list.remove(i);
                }
            }
        }
        while (!list.isEmpty() && list.get(0).path("t").asLong() < oldest) {
            list.remove(0);
        }
        int pos = list.size();
        while (pos > 0 && list.get(pos - 1).path("t").asLong() > at) {
            pos--;
        }
        ObjectNode mine = list.insertObject(pos);
        mine.put("t", at);
        mine.put("id", id);
        while (list.size() > MAX_PER_KEY) {
            list.remove(0);
        }
        return list;
    }

    static String messageKey(String queueId) {
        return "q:" + queueId;
    }

    static String messageIdKey(String messageId) {
        return "m:" + stripBrackets(messageId);
    }

    static String recipientKey(String recipient) {
        return "r:" + normalize(recipient);
    }

    /** Recipients are looked up case-insensitively, as the suppression list does. */
    static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    private static String stripBrackets(String messageId) {
        String s = messageId.trim();
        if (s.startsWith("<") && s.endsWith(">") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private static ArrayNode array(String json) {
        if (json == null) {
            return JSON.createArrayNode();
        }
        JsonNode node = tree(json);
        return node instanceof ArrayNode a ? a : JSON.createArrayNode();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable trace entry: " + e.getMessage(), e);
        }
    }

    private static ObjectNode tree(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable event: " + e.getMessage(), e);
        }
    }

    /**
     * A change of one entry made on its parsed JSON ({@code null} when absent), so that
     * {@link CoalescingTraceStore} parses and writes a hot entry (1,000 sightings of a busy
     * recipient) once for a whole batch of changes instead of once per change. Pure, like every
     * {@link TraceStore#update} change: each call gets a freshly parsed value.
     */
    @FunctionalInterface
    interface TreeChange extends UnaryOperator<String> {

        JsonNode change(JsonNode current);

        @Override
        default String apply(String current) {
            return change(current == null ? null : tree(current)).toString();
        }

        /** {@code changes} applied in order to one parse of the entry, written once. */
        static UnaryOperator<String> batch(List<TreeChange> changes) {
            return current -> {
                JsonNode value = current == null ? null : tree(current);
                for (TreeChange c : changes) {
                    value = c.change(value);
                }
                return value.toString();
            };
        }
    }

    private static CompletionStage<Void> all(List<CompletionStage<Void>> writes) {
        return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }
}
