package dev.tern.local.launcher.chaos;

import java.util.List;

/**
 * One line of the chaos table. {@code accepted} messages were answered 250; {@code delivered} of
 * them reached the sink (for bounce cases: got a DSN); {@code duplicates} are the extra copies plus
 * messages delivered although the client never heard a 250; {@code lost} are accepted and never
 * delivered. {@code bound} is the SMTP transactions in flight when the fault struck (the load's
 * unanswered ones plus the sink's open ones), the most duplicates at-least-once allows.
 */
public record ChaosRow(String name, int accepted, int delivered, int duplicates, int lost, int bound,
        List<String> failures, String note) {

    public boolean passed() {
        return lost == 0 && duplicates <= bound && failures.isEmpty();
    }

    static String header() {
        return "| case | accepted | delivered | duplicates | lost | result |\n|---|---|---|---|---|---|";
    }

    public String line() {
        String result = passed() ? "pass" : "FAIL" + (failures.isEmpty() ? "" : ": " + String.join("; ", failures));
        return "| " + name + " | " + accepted + " | " + delivered + " | " + duplicates + " (bound " + bound + ") | "
                + lost + " | " + result + " |";
    }
}
