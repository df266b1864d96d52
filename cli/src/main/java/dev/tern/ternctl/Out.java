package dev.tern.ternctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints: the server's JSON as it is ({@code --json}, for scripts), or aligned
 * text tables for people. Standard output only; errors go to standard error from {@link Ternctl}.
 */
final class Out {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final boolean json;

    Out(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void printJson(JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Columns padded to their widest cell; the last column is not padded. */
    void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        var all = new ArrayList<List<String>>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length && i < row.size(); i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        for (List<String> row : all) {
            var b = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String c = cell(row, i);
                b.append(c);
                if (i < widths.length - 1) {
                    b.append(" ".repeat(widths[i] - c.length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    private static String cell(List<String> row, int i) {
        return i < row.size() && row.get(i) != null ? row.get(i) : "";
    }

    /** A JSON value as table text: empty for missing, epoch milliseconds as ISO-8601 where asked. */
    static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
    }

    static String time(JsonNode epochMillis) {
        return epochMillis == null || !epochMillis.canConvertToLong() ? text(epochMillis)
                : Instant.ofEpochMilli(epochMillis.asLong()).toString();
    }
}
