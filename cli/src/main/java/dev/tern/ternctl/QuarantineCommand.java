package dev.tern.ternctl;

import static dev.tern.ternctl.AdminClient.query;
import static dev.tern.ternctl.AdminClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ternctl quarantine list|release}: mail held by the content checks, on the delivery service. */
@Command(name = "quarantine", description = "Mail held by content checks or milters.",
        subcommands = {QuarantineCommand.ListHeld.class, QuarantineCommand.Release.class})
final class QuarantineCommand {

    @ParentCommand
    Ternctl root;

    @Command(name = "list", description = "Held messages, newest first.")
    static final class ListHeld implements Callable<Integer> {
        @ParentCommand
        QuarantineCommand group;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(names = "--sender")
        String sender;

        @Option(names = "--recipient")
        String recipient;

        @Option(names = "--reason")
        String reason;

        @Override
        public Integer call() {
            JsonNode r = group.root.delivery().get("/admin/quarantine", query("limit", Integer.toString(limit),
                    "sender", sender, "recipient", recipient, "reason", reason));
            Out out = group.root.out();
            if (out.json()) {
                out.printJson(r);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode m : r.path("messages")) {
                var rcpts = new ArrayList<String>();
                m.path("recipients").forEach(x -> rcpts.add(x.asText()));
                rows.add(List.of(Out.text(m.path("id")), Out.text(m.path("quarantinedAt")), Out.text(m.path("sender")),
                        String.join(",", rcpts), Out.text(m.path("size")), Out.text(m.path("reason"))));
            }
            out.table(List.of("ID", "HELD AT", "SENDER", "RECIPIENTS", "SIZE", "REASON"), rows);
            out.line("held: " + Out.text(r.path("held")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "release", description = "Queue a held message for delivery (exit 2 when not held).")
    static final class Release implements Callable<Integer> {
        @ParentCommand
        QuarantineCommand group;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode r = group.root.delivery().post("/admin/quarantine/" + segment(id) + "/release", Map.of());
            return Commands.report(group.root, r, "released " + id);
        }
    }
}
