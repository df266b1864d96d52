package dev.tern.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's README, generated from {@code values.yaml}: one table row per key that has a
 * {@code # --} comment (the helm-docs convention the values file follows), with the key's path,
 * type, default and that comment. Keys inside list items are the list's default, not rows.
 * Sections (maps whose keys have rows of their own) show no default: their keys do.
 */
final class ChartReadme {

    /** One documented key. */
    record Row(String key, String type, String defaultValue, String description) {
    }

    private static final Pattern DOC = Pattern.compile("^(\\s*)# -- (.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^(\\s*)# (.*)$");
    private static final Pattern KEY = Pattern.compile("^(\\s*)([^\\s#:-][^:]*?|\"[^\"]+\"):(\\s.*)?$");
    private static final Pattern ITEM = Pattern.compile("^(\\s*)- ");

    private ChartReadme() {
    }

    /** The documented keys of a values file, in file order. */
    static List<Row> rows(String valuesYaml) {
        Map<String, Object> values = Yaml.parse(valuesYaml);
        var rows = new ArrayList<Row>();
        var path = new ArrayList<String>();
        var indents = new ArrayList<Integer>();
        String pending = null;
        int listIndent = -1;
        for (String line : valuesYaml.split("\n", -1)) {
            Matcher doc = DOC.matcher(line);
            if (doc.matches()) {
                pending = doc.group(2).trim();
                continue;
            }
            Matcher more = CONTINUATION.matcher(line);
            if (pending != null && more.matches()) {
                pending += " " + more.group(2).trim();
                continue;
            }
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (listIndent >= 0 && indent > listIndent) {
                continue;
            }
            listIndent = -1;
            Matcher item = ITEM.matcher(line);
            if (item.find()) {
                listIndent = indent;
                pending = null;
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                pending = null;
                continue;
            }
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                indents.remove(indents.size() - 1);
                path.remove(path.size() - 1);
            }
            String name = key.group(2).replace("\"", "");
            path.add(name);
            indents.add(indent);
            if (pending != null) {
                Object value = at(values, path);
                rows.add(new Row(String.join(".", path), type(value), null, pending));
            }
            pending = null;
        }
        return withDefaults(rows, values);
    }

    /** The README: the chart's description, how to install it, and the values table. */
    static String render(Map<String, Object> chart, List<Row> rows) {
        var out = new StringBuilder();
        out.append("# ").append(chart.get("name")).append(" Helm chart\n\n");
        out.append("<!-- Generated from Chart.yaml and the `# --` comments of values.yaml by deploy/render.sh")
                .append(" (ChartReadmeTest). Do not edit: change values.yaml and run deploy/render.sh. -->\n\n");
        out.append("Version ").append(chart.get("version")).append(", app version ").append(chart.get("appVersion"))
                .append(".\n\n");
        out.append(String.valueOf(chart.get("description")).trim()).append("\n\n");
        out.append("""
                ```
                helm install tern deploy/helm/tern \\
                  --set kafka.bootstrapServers=my-cluster-kafka-bootstrap.kafka:9092 \\
                  --set infinispan.hosts=tern-infinispan.infinispan:11222 \\
                  --set-string 'policy.relay.local-domains[0]=example.org'
                helm test tern
                ```

                Presets beside this file: `values-local.yaml` (one small replica each), `values-ha.yaml`
                (production: replicas, anti-affinity, PDBs, autoscaling, Strimzi topics, monitoring),
                `values-backends.yaml` (the chart also makes Kafka and Infinispan through their
                operators). What the pods get, scaling and hardening: `deploy/README.md`; how Tern
                works: `docs/ARCHITECTURE.md`. Types and allowed values are enforced by
                `values.schema.json`, combinations by `templates/validate.yaml`.

                ## Values

                | Key | Type | Default | Description |
                |---|---|---|---|
                """);
        for (Row r : rows) {
            out.append("| `").append(r.key()).append("` | ").append(r.type()).append(" | ")
                    .append(r.defaultValue() == null ? "" : "`" + cell(r.defaultValue()).replace("`", "'") + "`")
                    .append(" | ").append(cell(r.description())).append(" |\n");
        }
        return out.toString();
    }

    private static List<Row> withDefaults(List<Row> rows, Map<String, Object> values) {
        var out = new ArrayList<Row>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean section = i + 1 < rows.size() && rows.get(i + 1).key().startsWith(r.key() + ".")
                    && r.type().equals("object");
            String shown = section ? null : json(exact(values, r.key()));
            out.add(new Row(r.key(), r.type(), shown, r.description()));
        }
        return out;
    }

    /** The value at a dotted key whose segments may themselves contain dots ({@code tern.control}). */
    private static Object exact(Object node, String dotted) {
        if (!(node instanceof Map<?, ?> map)) {
            return null;
        }
        if (map.containsKey(dotted)) {
            return map.get(dotted);
        }
        for (int i = dotted.indexOf('.'); i > 0; i = dotted.indexOf('.', i + 1)) {
            String head = dotted.substring(0, i);
            if (map.containsKey(head)) {
                Object found = exact(map.get(head), dotted.substring(i + 1));
                if (found != null || containsPath(map.get(head), dotted.substring(i + 1))) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean containsPath(Object node, String dotted) {
        if (!(node instanceof Map<?, ?> map)) {
            return false;
        }
        if (map.containsKey(dotted)) {
            return true;
        }
        for (int i = dotted.indexOf('.'); i > 0; i = dotted.indexOf('.', i + 1)) {
            if (map.containsKey(dotted.substring(0, i)) && containsPath(map.get(dotted.substring(0, i)), dotted.substring(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static Object at(Map<String, Object> values, List<String> path) {
        Object node = values;
        for (String p : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(p);
        }
        return node;
    }

    private static String type(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Integer || value instanceof Long) {
            return "int";
        }
        if (value instanceof Number) {
            return "float";
        }
        return "string";
    }

    private static String json(Object value) {
        try {
            return Yaml.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
