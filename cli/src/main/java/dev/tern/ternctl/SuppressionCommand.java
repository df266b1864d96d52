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

/** {@code ternctl suppression list|show|add|remove}: the bounce service's suppression list. */
@Command(name = "suppression", description = "The suppression list (addresses mail is refused for).",
        subcommands = {SuppressionCommand.ListEntries.class, SuppressionCommand.Show.class, SuppressionCommand.Add.class,
                SuppressionCommand.Remove.class})
final class SuppressionCommand {

    @ParentCommand
    Ternctl root;

    @Command(name = "list", description = "Suppressed addresses, sorted.")
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        SuppressionCommand group;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            JsonNode r = group.root.bounce().get("/admin/suppression", query("limit", Integer.toString(limit)));
            Out out = group.root.out();
            if (out.json()) {
                out.printJson(r);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            r.path("entries").forEach(e -> rows.add(List.of(Out.text(e.path("address")), Out.text(e.path("until")),
                    Out.text(e.path("reason")))));
            out.table(List.of("ADDRESS", "UNTIL", "REASON"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One address's entry (exit 2 when not suppressed).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        SuppressionCommand group;

        @Parameters(paramLabel = "ADDRESS")
        String address;

        @Override
        public Integer call() {
            JsonNode e = group.root.bounce().get("/admin/suppression/" + segment(address), Map.of());
            return Commands.report(group.root, e, Out.text(e.path("address")) + " suppressed until "
                    + Out.text(e.path("until")) + ": " + Out.text(e.path("reason")));
        }
    }

    @Command(name = "add", description = "Suppress an address.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        SuppressionCommand group;

        @Parameters(paramLabel = "ADDRESS")
        String address;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (default: operator).")
        String reason;

        @Option(names = "--duration", paramLabel = "D", description = "For how long, e.g. 30d, 12h (default: the service's suppress-for).")
        String duration;

        @Override
        public Integer call() {
            JsonNode e = group.root.bounce().put("/admin/suppression/" + segment(address),
                    query("reason", reason, "duration", duration));
            return Commands.report(group.root, e, "suppressed " + Out.text(e.path("address")) + " until "
                    + Out.text(e.path("until")));
        }
    }

    @Command(name = "remove", description = "Lift an address's suppression (exit 2 when it was not suppressed).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        SuppressionCommand group;

        @Parameters(paramLabel = "ADDRESS")
        String address;

        @Override
        public Integer call() {
            JsonNode r = group.root.bounce().delete("/admin/suppression/" + segment(address), Map.of());
            return Commands.report(group.root, r, "no longer suppressed: " + address);
        }
    }
}
