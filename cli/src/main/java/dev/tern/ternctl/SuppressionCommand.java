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

/** {@code ternctl suppression list|show|add|remove}: the bounce service's suppression list. */
@Command(name = "suppression", description = "The suppression list (addresses mail is refused for).",
        subcommands = {SuppressionCommand.ListEntries.class, SuppressionCommand.Show.class, SuppressionCommand.Add.class,
                SuppressionCommand.Remove.class})
final class SuppressionCommand {

    @Command(name = "list", description = "Suppressed addresses, sorted.")
    static final class ListEntries extends AdminCommand {
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        JsonNode request() {
            return root().bounce().get("/admin/suppression", query("limit", Integer.toString(limit)));
        }

        @Override
        void printText(Out out, JsonNode answer) {
            var rows = new ArrayList<List<String>>();
            answer.path("entries").forEach(e -> rows.add(List.of(Out.text(e.path("address")), Out.text(e.path("until")),
                    Out.text(e.path("reason")))));
            out.table(List.of("ADDRESS", "UNTIL", "REASON"), rows);
        }
    }

    /** A subcommand on one address's entry, {@code /admin/suppression/ADDRESS}. */
    abstract static class OneEntry extends AdminCommand {
        @Parameters(paramLabel = "ADDRESS")
        String address;

        final String entryPath() {
            return "/admin/suppression/" + segment(address);
        }
    }

    @Command(name = "show", description = "One address's entry (exit 2 when not suppressed).")
    static final class Show extends OneEntry {
        @Override
        JsonNode request() {
            return root().bounce().get(entryPath(), Map.of());
        }

        @Override
        void printText(Out out, JsonNode e) {
            out.line(Out.text(e.path("address")) + " suppressed until " + Out.text(e.path("until")) + ": "
                    + Out.text(e.path("reason")));
        }
    }

    @Command(name = "add", description = "Suppress an address.")
    static final class Add extends OneEntry {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (default: operator).")
        String reason;

        @Option(names = "--duration", paramLabel = "D", description = "For how long, e.g. 30d, 12h (default: the service's suppress-for).")
        String duration;

        @Override
        JsonNode request() {
            return root().bounce().put(entryPath(), query("reason", reason, "duration", duration));
        }

        @Override
        void printText(Out out, JsonNode e) {
            out.line("suppressed " + Out.text(e.path("address")) + " until " + Out.text(e.path("until")));
        }
    }

    @Command(name = "remove", description = "Lift an address's suppression (exit 2 when it was not suppressed).")
    static final class Remove extends OneEntry {
        @Override
        JsonNode request() {
            return root().bounce().delete(entryPath(), Map.of());
        }

        @Override
        void printText(Out out, JsonNode answer) {
            out.line("no longer suppressed: " + address);
        }
    }
}
