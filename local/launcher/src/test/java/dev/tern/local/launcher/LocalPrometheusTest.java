package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class LocalPrometheusTest {

    @Test
    void scrapesEveryServiceWithTheLabelsTheDashboardsSelectOnAndLoadsTheRules() {
        var targets = new LinkedHashMap<String, Integer>();
        targets.put("ingress", 18081);
        targets.put("delivery", 18082);

        String config = LocalPrometheus.config(Path.of("/repo/deploy/prometheus/tern-rules.yaml"), targets);

        assertThat(config).contains("rule_files:\n  - /repo/deploy/prometheus/tern-rules.yaml\n")
                .contains("""
                          - job_name: delivery
                            metrics_path: /q/metrics
                            static_configs:
                              - targets: ['127.0.0.1:18082']
                                labels:
                                  namespace: tern-local
                                  pod: delivery
                        """)
                .contains("- job_name: ingress").contains("scrape_interval: 2s");
    }

    @Test
    void observeIsAnOptionOfTheCommandLine() {
        LocalOptions defaults = LocalOptions.defaults(LocalOptions.findRepo(Path.of("")));

        assertThat(TernLocal.parse(new String[] {"--observe"}, defaults).observe()).isTrue();
        assertThat(TernLocal.parse(new String[0], defaults).observe()).isFalse();
    }

    @Test
    void theRulesAreTheChartsSourceFile() {
        Path repo = LocalOptions.findRepo(Path.of(""));

        assertThat(LocalPrometheus.rules(repo)).isRegularFile().isEqualTo(repo.resolve("deploy/prometheus/tern-rules.yaml"));
    }
}
