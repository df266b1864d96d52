package dev.tern.ternctl;

import static dev.tern.ternctl.AdminClient.query;
import static dev.tern.ternctl.AdminClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The top-level commands other than the {@code suppression} and {@code quarantine} groups. */
final class Commands {

    private Commands() {
    }

    @Command(name = "queues", description = "What is queued, per topic and destination; suspended and bounced destinations.")
    static final class Queues extends AdminCommand {
        @Override
        JsonNode request() {
            return root().delivery().get("/admin/queues", Map.of());
        }

        @Override
        void printText(Out out, JsonNode q) {
            var rows = new ArrayList<List<String>>();
            q.path("waiting").fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), Out.text(e.getValue()))));
            out.table(List.of("TOPIC", "WAITING"), rows);
            var destinations = new ArrayList<List<String>>();
            q.path("byDestination").fields().forEachRemaining(d -> d.getValue().fields().forEachRemaining(
                    t -> destinations.add(List.of(d.getKey(), t.getKey(), Out.text(t.getValue())))));
            if (!destinations.isEmpty()) {
                out.line("");
                out.table(List.of("DESTINATION", "TOPIC", "RECIPIENTS"), destinations);
                if (q.path("truncated").asBoolean()) {
                    out.line("(scan stopped after " + Out.text(q.path("scanned")) + " records)");
                }
            }
            out.line("");
            out.line("in flight on this pod: " + Out.text(q.path("inFlight")) + ", connections: "
                    + Out.text(q.path("connections")));
            var suspended = new ArrayList<String>();
            q.path("suspended").forEach(s -> suspended.add(s.asText()));
            out.line("suspended: " + (suspended.isEmpty() ? "none" : String.join(", ", suspended)));
            var bounced = new ArrayList<String>();
            q.path("bounced").fields().forEachRemaining(b -> bounced.add(b.getKey() + " until "
                    + Out.text(b.getValue().path("until"))));
            out.line("bounced: " + (bounced.isEmpty() ? "none" : String.join(", ", bounced)));
        }
    }

    @Command(name = "trace", description = "What happened to a message: accepted, every attempt, the DSN sent.")
    static final class Trace extends AdminCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Key key;

        static final class Key {
            @Parameters(paramLabel = "ID", description = "Queue id (as in 250 Ok: queued as ID).")
            String id;

            @Option(names = "--message-id", paramLabel = "M", description = "Message-ID header, brackets optional.")
            String messageId;

            @Option(names = "--recipient", paramLabel = "R", description = "Envelope recipient.")
            String recipient;
        }

        @Option(names = "--since", paramLabel = "ISO", description = "With --recipient: from (e.g. 2026-01-31T00:00:00Z).")
        String since;

        @Option(names = "--until", paramLabel = "ISO", description = "With --recipient: to.")
        String until;

        @Override
        JsonNode request() {
            if ((since != null || until != null) && key.recipient == null) {
                throw new CliFailure(ExitCodes.ERROR, "--since and --until go with --recipient");
            }
            Map<String, String> q = key.id != null ? query("id", key.id)
                    : key.messageId != null ? query("message-id", key.messageId)
                    : query("recipient", key.recipient, "since", since, "until", until);
            try {
                return root().bounce().get("/admin/trace", q);
            } catch (AdminClient.NotFound e) {
                Out out = root().out();
                if (out.json() && e.body().has("messages")) {
                    out.printJson(e.body());
                }
                throw new CliFailure(ExitCodes.NOT_FOUND, "no trace for " + q.values().iterator().next());
            }
        }

        @Override
        void printText(Out out, JsonNode answer) {
            boolean first = true;
            for (JsonNode m : answer.path("messages")) {
                if (!first) {
                    out.line("");
                }
                first = false;
                print(out, m);
            }
        }

        private static void print(Out out, JsonNode m) {
            out.line(Out.text(m.path("id")) + "  " + Out.text(m.path("state")));
            JsonNode a = m.path("accepted");
            if (a.isObject()) {
                out.line("  accepted " + Out.time(a.path("timestamp")) + " from <" + Out.text(a.path("sender"))
                        + "> client " + Out.text(a.path("clientIp")) + " helo " + Out.text(a.path("helo"))
                        + " on " + Out.text(a.path("listener")) + "@" + Out.text(a.path("pod"))
                        + ", " + Out.text(a.path("size")) + " bytes");
                if (a.has("messageId")) {
                    out.line("  message-id " + Out.text(a.path("messageId")));
                }
                var rcpts = new ArrayList<String>();
                a.path("recipients").forEach(r -> rcpts.add(r.asText()));
                out.line("  recipients " + String.join(", ", rcpts));
                if (a.has("quarantine")) {
                    out.line("  quarantined: " + Out.text(a.path("quarantine")));
                }
            } else {
                out.line("  (no accepted record)");
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode t : m.path("attempts")) {
                String mx = Out.text(t.path("mxHost")) + (t.has("mxIp") ? " [" + Out.text(t.path("mxIp")) + "]" : "");
                rows.add(List.of(Out.time(t.path("timestamp")), Out.text(t.path("attempt")), Out.text(t.path("recipient")),
                        Out.text(t.path("outcome")), Out.text(t.path("category")), Out.text(t.path("replyCode")) + " "
                        + Out.text(t.path("replyText")), mx, Out.text(t.path("latencyMs")) + "ms",
                        Out.text(t.path("retryTier"))));
            }
            if (!rows.isEmpty()) {
                out.table(List.of("  TIME", "#", "RECIPIENT", "OUTCOME", "CATEGORY", "REPLY", "MX", "LATENCY", "TIER"),
                        rows.stream().map(r -> {
                            var indented = new ArrayList<>(r);
                            indented.set(0, "  " + r.get(0));
                            return (List<String>) indented;
                        }).toList());
            }
            JsonNode dsn = m.path("dsn");
            if (dsn.isObject()) {
                out.line("  dsn " + Out.text(dsn.path("action")) + " notice " + Out.text(dsn.path("id")) + " to <"
                        + Out.text(dsn.path("to")) + "> at " + Out.time(dsn.path("timestamp")));
            }
        }
    }

    /** A subcommand on one destination: {@code POST /admin/destinations/DEST/action}. */
    abstract static class DestinationAction extends AdminCommand {
        @Parameters(paramLabel = "DEST")
        String destination;

        private final String action;

        DestinationAction(String action) {
            this.action = action;
        }

        /** The action's query parameters; none unless it takes options. */
        Map<String, String> parameters() {
            return Map.of();
        }

        @Override
        final JsonNode request() {
            return root().delivery().post("/admin/destinations/" + segment(destination) + "/" + action, parameters());
        }
    }

    /** Delivery to a destination turned off or on; the text says which, and for what. */
    abstract static class DestinationSwitch extends DestinationAction {
        private final String done;

        /** @param done what the text says happened, e.g. {@code suspended} */
        DestinationSwitch(String action, String done) {
            super(action);
            this.done = done;
        }

        @Override
        final void printText(Out out, JsonNode answer) {
            out.line(done + " " + destination);
        }
    }

    @Command(name = "suspend", description = "Stop delivering to a destination (mail stays queued).")
    static final class Suspend extends DestinationSwitch {
        Suspend() {
            super("suspend", "suspended");
        }
    }

    @Command(name = "resume", description = "Deliver to a suspended destination again.")
    static final class Resume extends DestinationSwitch {
        Resume() {
            super("resume", "resumed");
        }
    }

    @Command(name = "retry-now", description = "Make a destination's deferred mail due now.")
    static final class RetryNow extends DestinationAction {
        RetryNow() {
            super("retry-now");
        }

        @Override
        void printText(Out out, JsonNode answer) {
            out.line("retrying " + answer.path("touched").asLong() + " message(s) for " + destination + " now");
        }
    }

    @Command(name = "reroute", description = "Send a destination's mail through a relay (smtp://host:port, lmtp://host:port) or back to MX (--via mx).")
    static final class Reroute extends DestinationAction {
        @Option(names = "--via", required = true, paramLabel = "URL")
        String via;

        Reroute() {
            super("reroute");
        }

        @Override
        Map<String, String> parameters() {
            return query("via", via);
        }

        @Override
        void printText(Out out, JsonNode answer) {
            out.line("rerouted " + destination + " via " + via + " (" + answer.path("touched").asLong()
                    + " message(s) queued)");
        }
    }

    @Command(name = "purge", description = "Delete queued mail matching every filter given (try --dry-run first).")
    static final class Purge extends AdminCommand {
        @Option(names = "--destination", paramLabel = "D")
        String destination;

        @Option(names = "--sender", paramLabel = "S")
        String sender;

        @Option(names = "--recipient", paramLabel = "R")
        String recipient;

        @Option(names = "--id", paramLabel = "Q")
        String id;

        @Option(names = "--dry-run", description = "Only count what would be purged.")
        boolean dryRun;

        @Override
        JsonNode request() {
            if (destination == null && sender == null && recipient == null && id == null) {
                throw new CliFailure(ExitCodes.ERROR, "purge needs at least one of --destination, --sender, --recipient, --id");
            }
            return root().delivery().post("/admin/purge", query("destination", destination, "sender", sender,
                    "recipient", recipient, "id", id, "dry-run", dryRun ? "true" : null));
        }

        @Override
        void printText(Out out, JsonNode answer) {
            out.line((answer.path("dryRun").asBoolean(dryRun) ? "would purge " : "purged ")
                    + answer.path("matched").asLong() + " message(s)");
        }
    }

    /**
     * A subcommand on one queued message: {@code POST /admin/messages/ID/action}. Finding nothing
     * to act on is "not found" for scripts.
     */
    abstract static class MessageAction extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        private final String action;
        private final String done;

        /** @param done what the text says happened, e.g. {@code held} */
        MessageAction(String action, String done) {
            this.action = action;
            this.done = done;
        }

        @Override
        final JsonNode request() {
            return root().delivery().post("/admin/messages/" + segment(id) + "/" + action, Map.of());
        }

        @Override
        final void printText(Out out, JsonNode answer) {
            out.line(touched(answer) ? done + " " + id : "no queued message " + id);
        }

        @Override
        final int exitCode(JsonNode answer) {
            return touched(answer) ? ExitCodes.OK : ExitCodes.NOT_FOUND;
        }

        private static boolean touched(JsonNode answer) {
            return answer.path("touched").asLong() > 0;
        }
    }

    @Command(name = "hold", description = "Keep a queued message from being delivered until released.")
    static final class Hold extends MessageAction {
        Hold() {
            super("hold", "held");
        }
    }

    @Command(name = "release", description = "Deliver a held message again.")
    static final class Release extends MessageAction {
        Release() {
            super("release", "released");
        }
    }
}
