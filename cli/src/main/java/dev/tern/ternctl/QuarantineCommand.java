package dev.tern.ternctl;

import static dev.tern.ternctl.AdminClient.query;
import static dev.tern.ternctl.AdminClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ternctl quarantine list|release}: mail held by the content checks, on the delivery service. */
@Command(name = "quarantine", description = "Mail held by content checks or milters.",
        subcommands = {QuarantineCommand.ListHeld.class, QuarantineCommand.Release.class})
final class QuarantineCommand {

    @Command(name = "list", description = "Held messages, newest first.")
    static final class ListHeld extends AdminCommand {
        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(names = "--sender")
        String sender;

        @Option(names = "--recipient")
        String recipient;

        @Option(names = "--reason")
        String reason;

        @Override
        JsonNode request() {
            return root().delivery().get("/admin/quarantine", query("limit", Integer.toString(limit),
                    "sender", sender, "recipient", recipient, "reason", reason));
        }

        @Override
        void printText(Out out, JsonNode answer) {
            var rows = new ArrayList<List<String>>();
            for (JsonNode m : answer.path("messages")) {
                var rcpts = new ArrayList<String>();
                m.path("recipients").forEach(x -> rcpts.add(x.asText()));
                rows.add(List.of(Out.text(m.path("id")), Out.text(m.path("quarantinedAt")), Out.text(m.path("sender")),
                        String.join(",", rcpts), Out.text(m.path("size")), Out.text(m.path("reason"))));
            }
            out.table(List.of("ID", "HELD AT", "SENDER", "RECIPIENTS", "SIZE", "REASON"), rows);
            out.line("held: " + Out.text(answer.path("held")));
        }
    }

    @Command(name = "release", description = "Queue a held message for delivery (exit 2 when not held).")
    static final class Release extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        JsonNode request() {
            return root().delivery().post("/admin/quarantine/" + segment(id) + "/release", Map.of());
        }

        @Override
        void printText(Out out, JsonNode answer) {
            out.line("released " + id);
        }
    }
}
