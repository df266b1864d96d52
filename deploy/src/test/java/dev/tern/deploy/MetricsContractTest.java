package dev.tern.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana dashboards and Prometheus rules are valid and read only metrics the services
 * export (src/test/resources/exported-metrics.txt), with labels those metrics carry.
 */
class MetricsContractTest {

    private static final MetricsContract CONTRACT = MetricsContract.load();

    static Stream<Path> dashboards() throws IOException {
        try (var files = Files.list(Chart.MODULE.resolve("grafana"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void thereIsAnOverviewDashboard() {
        assertThat(Chart.MODULE.resolve("grafana/tern-overview.json")).exists();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void dashboardIsValidGrafanaJson(Path dashboard) {
        Map<String, Object> d = Yaml.read(dashboard);

        assertThat(d).containsKeys("uid", "title", "panels", "schemaVersion", "templating");
        List<Object> panels = Yaml.list(d.get("panels"));
        assertThat(panels).isNotEmpty();
        Set<Object> ids = new HashSet<>();
        for (Object p : panels) {
            Map<String, Object> panel = Yaml.map(p);
            assertThat(ids.add(panel.get("id"))).as("panel ids are unique").isTrue();
            Map<String, Object> grid = Yaml.map(panel.get("gridPos"));
            assertThat((Integer) grid.get("x") + (Integer) grid.get("w")).isLessThanOrEqualTo(24);
            if (!"row".equals(panel.get("type"))) {
                assertThat(Yaml.list(panel.get("targets"))).as((String) panel.get("title")).isNotEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void dashboardQueriesUseOnlyExportedMetricsAndLabels(Path dashboard) {
        List<String> exprs = dashboardExpressions(Yaml.read(dashboard));

        assertThat(exprs).isNotEmpty();
        exprs.forEach(MetricsContractTest::assertUsesOnlyTheContract);
    }

    @Test
    void dashboardsTogetherShowEveryTernMetric() throws IOException {
        Set<String> used = new HashSet<>();
        for (Path p : dashboards().toList()) {
            dashboardExpressions(Yaml.read(p)).forEach(e -> MetricsContract.seriesIn(e)
                    .forEach(s -> used.add(CONTRACT.declaredName(s))));
        }
        assertThat(used).containsAll(CONTRACT.declared.stream().filter(n -> n.startsWith("tern_")).toList());
    }

    @Test
    void alertRulesAreWellFormedAndUseOnlyExportedMetrics() {
        Map<String, Object> rules = Yaml.read(Chart.MODULE.resolve("prometheus/tern-rules.yaml"));

        Set<String> names = new HashSet<>();
        for (Object g : Yaml.list(rules.get("groups"))) {
            for (Object r : Yaml.list(Yaml.map(g).get("rules"))) {
                Map<String, Object> rule = Yaml.map(r);
                String alert = (String) rule.get("alert");
                assertThat(names.add(alert)).as("duplicate alert " + alert).isTrue();
                assertThat(alert).startsWith("Tern");
                assertThat(Yaml.at(rule, "labels", "severity")).as(alert).isIn("critical", "warning", "info");
                assertThat(Yaml.map(rule.get("annotations"))).as(alert).containsKeys("summary", "description");
                assertUsesOnlyTheContract((String) rule.get("expr"));
            }
        }
        assertThat(names).contains("TernKafkaPublishSlow", "TernIngressTempFailRatioHigh", "TernDeliveryDeferredRateHigh",
                "TernInfinispanFallbackActive", "TernRetryLagHigh", "TernNoDeliveries");
    }

    @Test
    void scannerFindsSeriesAndLabelsInPromQl() {
        String expr = "histogram_quantile(0.99, sum by (le) (rate(tern_ingress_kafka_publish_seconds_bucket"
                + "{namespace=~\"$namespace\"}[$__rate_interval]))) > 1 and on (namespace) up{job=\"a,b\"}";

        assertThat(MetricsContract.seriesIn(expr)).containsExactlyInAnyOrder("tern_ingress_kafka_publish_seconds_bucket", "up");
        assertThat(MetricsContract.labelsIn(expr)).containsExactlyInAnyOrder("le", "namespace", "job");
    }

    private static void assertUsesOnlyTheContract(String expr) {
        Set<String> series = MetricsContract.seriesIn(expr);
        assertThat(series).as(expr).isNotEmpty();
        Set<String> allowedLabels = new HashSet<>();
        for (String s : series) {
            assertThat(CONTRACT.series).as("metric %s in %s is not in exported-metrics.txt", s, expr).containsKey(s);
            allowedLabels.addAll(CONTRACT.series.get(s));
        }
        assertThat(allowedLabels).as("labels of " + expr).containsAll(MetricsContract.labelsIn(expr));
    }

    private static List<String> dashboardExpressions(Map<String, Object> dashboard) {
        List<String> exprs = new ArrayList<>();
        for (Object p : Yaml.list(dashboard.get("panels"))) {
            Object targets = Yaml.map(p).get("targets");
            if (targets != null) {
                Yaml.list(targets).forEach(t -> exprs.add((String) Yaml.map(t).get("expr")));
            }
        }
        for (Object v : Yaml.list(Yaml.at(dashboard, "templating", "list"))) {
            Object definition = Yaml.map(v).get("definition");
            if (definition instanceof String def && def.startsWith("label_values(")) {
                exprs.add(def.substring("label_values(".length(), def.indexOf(',')));
            }
        }
        return exprs;
    }
}
