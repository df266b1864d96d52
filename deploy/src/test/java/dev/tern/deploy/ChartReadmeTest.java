package dev.tern.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart README is generated from values.yaml's {@code # --} comments ({@link ChartReadme})
 * and kept current: run with {@code -Dtern.deploy.regenerate=true} (deploy/render.sh) to rewrite it.
 */
class ChartReadmeTest {

    static final Path README = Chart.CHART.resolve("README.md");

    @Test
    void readmeIsGeneratedFromTheValuesComments() throws IOException {
        String expected = ChartReadme.render(Yaml.read(Chart.CHART.resolve("Chart.yaml")),
                ChartReadme.rows(Files.readString(Chart.CHART.resolve("values.yaml"))));
        if (Boolean.getBoolean("tern.deploy.regenerate")) {
            Files.writeString(README, expected);
        }
        assertThat(Files.exists(README) ? Files.readString(README) : "")
                .as("deploy/helm/tern/README.md is stale: run deploy/render.sh").isEqualTo(expected);
    }

    @Test
    void everyKeyOfTheValuesFileIsDocumented() throws IOException {
        List<ChartReadme.Row> rows = ChartReadme.rows(Files.readString(Chart.CHART.resolve("values.yaml")));
        var documented = rows.stream().map(ChartReadme.Row::key).toList();
        assertThat(documented).contains("kafka.bootstrapServers", "kafka.cluster.create", "kafka.topics.overrides.tern.control.partitions",
                "delivery.keda.enabled", "infinispan.cluster.caches");
        var undocumented = new java.util.ArrayList<String>();
        collect(Yaml.read(Chart.CHART.resolve("values.yaml")), "", documented, undocumented);
        assertThat(undocumented).as("keys of values.yaml without a '# --' comment").isEmpty();
    }

    @Test
    void rowsCarryPathTypeDefaultAndTheWholeComment() {
        String values = """
                # -- The section.
                outer:
                  # -- A number.
                  # Continued on the next line.
                  count: 3
                  # -- Items, whose own keys are the default, not rows.
                  items:
                    - name: a
                      # -- not a row
                      port: 1
                  # -- A dotted key.
                  "a.b":
                    # -- Inside it.
                    flag: true
                undocumented: x
                """;
        assertThat(ChartReadme.rows(values)).containsExactly(
                new ChartReadme.Row("outer", "object", null, "The section."),
                new ChartReadme.Row("outer.count", "int", "3", "A number. Continued on the next line."),
                new ChartReadme.Row("outer.items", "list", "[{\"name\":\"a\",\"port\":1}]",
                        "Items, whose own keys are the default, not rows."),
                new ChartReadme.Row("outer.a.b", "object", null, "A dotted key."),
                new ChartReadme.Row("outer.a.b.flag", "bool", "true", "Inside it."));
    }

    /**
     * Keys without a row of their own. A documented map none of whose keys has a row is one value
     * (its row shows it whole, e.g. {@code resources}); list items are values too.
     */
    private static void collect(Object node, String prefix, List<String> documented, List<String> missing) {
        if (!(node instanceof java.util.Map<?, ?> map)) {
            return;
        }
        for (var e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (!documented.contains(key)) {
                missing.add(key);
                continue;
            }
            if (documented.stream().anyMatch(k -> k.startsWith(key + "."))) {
                collect(e.getValue(), key, documented, missing);
            }
        }
    }
}
