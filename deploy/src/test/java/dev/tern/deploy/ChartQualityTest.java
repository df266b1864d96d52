package dev.tern.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart as a source artifact: it lints, every value is documented and typed, the
 * presets use only real keys, and the layout follows docs/ARCHITECTURE.md, "Helm chart".
 */
class ChartQualityTest {

    private static final Pattern KEY_LINE = Pattern.compile("^( *)([A-Za-z0-9_.\\-]+):(.*)$");

    @Test
    void helmLintPassesStrict() {
        LintResult lint = new Helm(Chart.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void everyValuesKeyHasADashDashComment() throws IOException {
        List<String> lines = Files.readAllLines(Chart.CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!KEY_LINE.matcher(lines.get(i)).matches()) {
                continue;
            }
            int j = i - 1;
            boolean documented = false;
            while (j >= 0 && lines.get(j).strip().startsWith("#")) {
                if (lines.get(j).strip().startsWith("# --")) {
                    documented = true;
                    break;
                }
                j--;
            }
            if (!documented) {
                undocumented.add((i + 1) + ": " + lines.get(i));
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void schemaDescribesExactlyTheValuesKeys() {
        var values = new TreeSet<String>();
        collectPaths("", Yaml.read(Chart.CHART.resolve("values.yaml")), values);
        var schema = new TreeSet<String>();
        collectSchemaPaths("", Yaml.read(Chart.CHART.resolve("values.schema.json")), schema);

        // Free-form maps (labels, resources, the policy body) are typed as objects, not spelled out.
        assertThat(values).allSatisfy(path -> assertThat(schema)
                .as("values.schema.json lacks " + path)
                .anySatisfy(s -> assertThat(path.equals(s) || path.startsWith(s + ".")).isTrue()));
        assertThat(schema).allSatisfy(path -> assertThat(values)
                .as("values.schema.json has " + path + ", values.yaml does not")
                .anySatisfy(v -> assertThat(v.equals(path) || v.startsWith(path + ".")).isTrue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"values-local.yaml", "values-ha.yaml"})
    void presetsSetOnlyKeysOfValuesYaml(String preset) {
        var values = new TreeSet<String>();
        collectPaths("", Yaml.read(Chart.CHART.resolve("values.yaml")), values);
        var set = new TreeSet<String>();
        collectPaths("", Yaml.read(Chart.CHART.resolve(preset)), set);

        assertThat(set).allSatisfy(path -> assertThat(values).as(preset + " sets unknown " + path)
                .anySatisfy(v -> assertThat(v.equals(path) || path.startsWith(v + ".")).isTrue()));
    }

    @Test
    void helpersDefineTheNamingTemplatesEachWithAComment() throws IOException {
        String helpers = Files.readString(Chart.CHART.resolve("templates/_helpers.tpl"));

        for (String name : List.of("tern.name", "tern.fullname", "tern.labels", "tern.selectorLabels")) {
            Matcher m = Pattern.compile("\\*/}}\\s*\\{\\{- define \"" + Pattern.quote(name) + "\" -}}").matcher(helpers);
            assertThat(m.find()).as(name + " is defined right after a comment").isTrue();
        }
        assertThat(helpers).contains("trunc 63");
    }

    @Test
    void componentTemplatesLiveInTheirFoldersAndShareTheDeploymentPartial() throws IOException {
        for (String component : List.of("ingress", "delivery", "bounce")) {
            var deployment = Chart.CHART.resolve("templates/" + component + "/deployment.yaml");
            assertThat(deployment).exists();
            assertThat(Files.readString(deployment)).contains("include \"tern.deployment\"");
        }
        assertThat(Chart.CHART.resolve("templates/validate.yaml")).exists();
        assertThat(Chart.CHART.resolve("templates/tests")).isDirectoryContaining("glob:**.yaml");
    }

    @Test
    void chartPointsAtExternalKafkaAndInfinispan() {
        Map<String, Object> chart = Yaml.read(Chart.CHART.resolve("Chart.yaml"));

        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "tern");
        assertThat(chart).doesNotContainKey("dependencies");
        assertThat((String) chart.get("description")).contains("does not install");
    }

    static void collectPaths(String prefix, Map<String, Object> node, TreeSet<String> out) {
        for (var e : node.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(path);
            if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
                collectPaths(path, Yaml.map(child), out);
            }
        }
    }

    static void collectSchemaPaths(String prefix, Map<String, Object> node, TreeSet<String> out) {
        Object properties = node.get("properties");
        if (!(properties instanceof Map<?, ?> props)) {
            return;
        }
        for (var e : Yaml.map(props).entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(path);
            collectSchemaPaths(path, Yaml.map(e.getValue()), out);
        }
    }
}
