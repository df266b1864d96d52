package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Prometheus checks the alert rules the chart ships: {@code promtool check rules} on the
 * rules of the rendered PrometheusRule, and {@code promtool test rules} runs the unit tests in
 * {@code deploy/prometheus/tests/} (one file per rule group, see deploy/README.md, "Testing the
 * alerts") against them. Every alert must have a case that fires it and one that does not.
 *
 * <p>promtool comes with Debian's {@code prometheus} package ({@code scripts/install-test-tools.sh}).
 * Without it this test is skipped on a developer machine, but fails in CI ({@code CI=true}), so the
 * rules are never silently left unchecked there.
 */
class PromtoolTest {

    private static final Path TESTS = Chart.MODULE.resolve("prometheus/tests");

    private static Path promtool;
    private static Map<String, Object> rendered;

    @BeforeAll
    static void findPromtool() {
        promtool = onPath("promtool");
        if (promtool == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("promtool is not installed (Debian package prometheus); run scripts/install-test-tools.sh");
        }
        assumeTrue(promtool != null, "promtool is not installed; run scripts/install-test-tools.sh");
    }

    @Test
    void theChartsRulesPassPromtoolCheckAndTheirUnitTests(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("tern-rules.yaml");
        Files.writeString(rules, Yaml.YAML.writeValueAsString(renderedRules()));
        Path tests = Files.createDirectories(dir.resolve("tests"));
        List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        for (Path t : testFiles()) {
            command.add(Files.copy(t, tests.resolve(t.getFileName())).toString());
        }

        Result check = run(dir, List.of(promtool.toString(), "check", "rules", rules.toString()));
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts(renderedRules()).size() + " rules found");

        Result test = run(dir, command);
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).doesNotContain("FAILED");
    }

    @Test
    void everyRuleGroupHasATestFileThatFiresAndClearsEachOfItsAlerts() {
        for (Object g : Yaml.list(renderedRules().get("groups"))) {
            Map<String, Object> group = Yaml.map(g);
            String name = (String) group.get("name");
            Path file = TESTS.resolve(name + ".test.yaml");
            assertThat(file).as("promtool tests of rule group " + name).exists();
            Map<String, Object> tests = Yaml.read(file);
            assertThat(Yaml.list(tests.get("rule_files"))).containsExactly("../tern-rules.yaml");

            Set<String> groupAlerts = new LinkedHashSet<>();
            Yaml.list(group.get("rules")).forEach(r -> groupAlerts.add((String) Yaml.map(r).get("alert")));
            Set<String> fired = new LinkedHashSet<>();
            Set<String> quiet = new LinkedHashSet<>();
            for (Object t : Yaml.list(tests.get("tests"))) {
                for (Object c : Yaml.list(Yaml.map(t).get("alert_rule_test"))) {
                    Map<String, Object> check = Yaml.map(c);
                    String alert = (String) check.get("alertname");
                    assertThat(groupAlerts).as("%s tests an alert of its group", file.getFileName()).contains(alert);
                    Object expected = check.get("exp_alerts");
                    (expected == null || Yaml.list(expected).isEmpty() ? quiet : fired).add(alert);
                }
            }
            assertThat(fired).as("alerts of %s with a test where they fire", name).containsAll(groupAlerts);
            assertThat(quiet).as("alerts of %s with a test where they do not fire", name).containsAll(groupAlerts);
        }
    }

    @Test
    void everyTestFileBelongsToARuleGroup() {
        Set<String> groups = new LinkedHashSet<>();
        Yaml.list(renderedRules().get("groups")).forEach(g -> groups.add(Yaml.map(g).get("name") + ".test.yaml"));

        assertThat(testFiles()).extracting(p -> p.getFileName().toString()).allMatch(groups::contains);
    }

    /** The spec of the PrometheusRule the chart renders: exactly the rules a cluster gets. */
    private static synchronized Map<String, Object> renderedRules() {
        if (rendered != null) {
            return rendered;
        }
        GenericKubernetesResource rule = Chart.generic(Chart.parse(Chart.render(Map.of(
                "monitoring.prometheusRule.enabled", true))), "PrometheusRule").get(0);
        rendered = Yaml.map(rule.getAdditionalProperties().get("spec"));
        return rendered;
    }

    private static Map<String, Object> alerts(Map<String, Object> rules) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Object g : Yaml.list(rules.get("groups"))) {
            Yaml.list(Yaml.map(g).get("rules")).forEach(r -> all.put((String) Yaml.map(r).get("alert"), r));
        }
        return all;
    }

    private static List<Path> testFiles() {
        try (var files = Files.list(TESTS)) {
            return files.filter(p -> p.toString().endsWith(".test.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
