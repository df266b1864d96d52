package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * skaffold.yaml cannot run here (no cluster, no container engine), so this checks that it
 * points at real things: Maven modules, the chart, its presets and values keys, and Services
 * the chart renders.
 */
class SkaffoldTest {

    private static final Map<String, Object> SKAFFOLD = Yaml.read(Chart.REPO.resolve("skaffold.yaml"));
    private static final Pattern MODULE = Pattern.compile("-pl (\\S+)");

    @Test
    void usesASkaffoldV4Schema() {
        assertThat((String) SKAFFOLD.get("apiVersion")).startsWith("skaffold/v4");
        assertThat(SKAFFOLD).containsEntry("kind", "Config");
    }

    @Test
    void buildsEachServiceImageFromItsMavenModuleWithQuarkusJib() throws IOException {
        String rootPom = Files.readString(Chart.REPO.resolve("pom.xml"));
        List<Object> artifacts = Yaml.list(Yaml.at(SKAFFOLD, "build", "artifacts"));
        var images = new TreeSet<String>();
        for (Object a : artifacts) {
            Map<String, Object> artifact = Yaml.map(a);
            String image = (String) artifact.get("image");
            images.add(image);
            String command = (String) Yaml.at(artifact, "custom", "buildCommand");
            assertThat(command).contains("./mvnw", "-Dquarkus.container-image.build=true",
                    "-Dquarkus.container-image.image=$IMAGE", "-Dquarkus.container-image.push=$PUSH_IMAGE");
            Matcher m = MODULE.matcher(command);
            assertThat(m.find()).as(command).isTrue();
            String module = m.group(1);
            assertThat(rootPom).contains("<module>" + module + "</module>");
            assertThat(Files.readString(Chart.REPO.resolve(module).resolve("pom.xml")))
                    .contains("<artifactId>tern-" + module + "</artifactId>");
            assertThat(image).isEqualTo("tern-" + module);
            assertThat(Yaml.at(Yaml.read(Chart.CHART.resolve("values.yaml")), module, "image", "repository"))
                    .isEqualTo(image);
            for (Object path : Yaml.list(Yaml.at(artifact, "custom", "dependencies", "paths"))) {
                String prefix = ((String) path).replaceAll("/?\\*\\*.*$", "");
                assertThat(Chart.REPO.resolve(prefix).getParent()).as((String) path).exists();
            }
        }
        assertThat(images).containsExactly("tern-bounce", "tern-delivery", "tern-ingress");
    }

    @Test
    void deploysTheChartWithTheLocalPresetAndRealValuesKeys() {
        Map<String, Object> release = Yaml.map(Yaml.list(Yaml.at(SKAFFOLD, "manifests", "helm", "releases")).get(0));
        assertThat(Chart.REPO.resolve((String) release.get("chartPath"))).isEqualTo(Chart.CHART);
        assertThat(Yaml.list(release.get("valuesFiles")))
                .containsExactly("deploy/helm/tern/values-local.yaml")
                .allSatisfy(f -> assertThat(Chart.REPO.resolve((String) f)).exists());

        Map<String, Object> values = Yaml.read(Chart.CHART.resolve("values.yaml"));
        for (String key : Yaml.map(release.get("setValueTemplates")).keySet()) {
            assertThat(Yaml.at(values, key.split("\\."))).as(key).isNotNull();
        }
        Map<String, Object> haPatch = Yaml.map(Yaml.list(Yaml.map(Yaml.list(SKAFFOLD.get("profiles")).get(0)).get("patches")).get(0));
        assertThat(Chart.REPO.resolve((String) haPatch.get("value"))).exists();
    }

    @Test
    void portForwardsServicesTheLocalPresetRenders() {
        var services = Chart.ofKind(Chart.parse(Chart.renderPreset("values-local.yaml", Map.of())), Service.class);
        for (Object f : Yaml.list(SKAFFOLD.get("portForward"))) {
            Map<String, Object> forward = Yaml.map(f);
            assertThat(services).as(forward.toString()).anySatisfy(s -> {
                assertThat(s.getMetadata().getName()).isEqualTo(forward.get("resourceName"));
                assertThat(s.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(forward.get("port")));
            });
        }
    }

    @Test
    void chartPathIsTheDeployModulesChart() {
        assertThat(Path.of("deploy/helm/tern/Chart.yaml")).isEqualTo(Chart.REPO.relativize(Chart.CHART.resolve("Chart.yaml")));
    }
}
