package dev.tern.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Renders the Tern chart with the embedded Helm of helm-java (no helm binary, no cluster)
 * and parses the result with fabric8.
 *
 * <p>Owns the paths of the deploy module's artifacts, so every test finds them the same
 * way whether Maven runs from the repo root or from {@code deploy/}. Rendering is
 * {@code helm template tern deploy/helm/tern} with release name {@value #RELEASE}; a
 * failing {@code fail} in {@code validate.yaml} surfaces as an {@link IllegalStateException}
 * carrying Helm's message.
 */
final class Chart {

    static final String RELEASE = "tern";
    /** Kubernetes version to render for (Helm's offline default, 1.20, is below the chart's floor). */
    static final String KUBE_VERSION = "1.30.0";

    /** The deploy module directory (Surefire runs with it as the working directory). */
    static final Path MODULE = locateModule();
    static final Path CHART = MODULE.resolve("helm/tern");
    static final Path REPO = MODULE.getParent();

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (\\S+)\\s*$");

    private Chart() {
    }

    private static Path locateModule() {
        Path cwd = Path.of("").toAbsolutePath();
        if (cwd.resolve("helm/tern/Chart.yaml").toFile().isFile()) {
            return cwd;
        }
        return cwd.resolve("deploy");
    }

    /** Starts a template command for the chart; callers add values files and --set pairs. */
    static TemplateCommand template() {
        return new Helm(CHART).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
    }

    /** Renders with the default values plus the given --set pairs. */
    static String render(Map<String, Object> sets) {
        return render(cmd -> cmd, sets);
    }

    /** Renders with a values preset (a file beside Chart.yaml) plus --set pairs. */
    static String renderPreset(String valuesFile, Map<String, Object> sets) {
        return render(cmd -> cmd.withValuesFile(CHART.resolve(valuesFile)), sets);
    }

    /** Renders with the default values overlaid by {@code valuesYaml} (for what --set cannot say, e.g. an empty list). */
    static String renderValues(String valuesYaml) {
        try {
            Path file = Files.createTempFile("tern-values", ".yaml");
            Files.writeString(file, valuesYaml);
            try {
                return render(cmd -> cmd.withValuesFile(file), Map.of());
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String render(UnaryOperator<TemplateCommand> configure, Map<String, Object> sets) {
        TemplateCommand cmd = configure.apply(template());
        sets.forEach(cmd::set);
        return cmd.call();
    }

    /**
     * Renders the chart's {@code helm test} hooks too. {@code helm template} through helm-java
     * returns only the release manifest, so this renders a copy of the chart in which the
     * test hook annotation is renamed, making the hooks plain resources.
     */
    static String renderWithTestHooks(Map<String, Object> sets) {
        try {
            Path copy = Files.createTempDirectory("tern-chart").resolve("tern");
            try (var paths = Files.walk(CHART)) {
                for (Path source : paths.toList()) {
                    Path target = copy.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.writeString(target, Files.readString(source)
                                .replace("helm.sh/hook: test", "tern.dev/test-hook: test"));
                    }
                }
            }
            TemplateCommand cmd = new Helm(copy).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
            sets.forEach(cmd::set);
            return cmd.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a rendered stream into objects; CRDs (ServiceMonitor, KafkaTopic) become generic resources. */
    static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : documents(rendered).values()) {
            Object parsed = Serialization.unmarshal(doc);
            if (parsed instanceof KubernetesList list) {
                objects.addAll(list.getItems());
            } else if (parsed instanceof HasMetadata object) {
                objects.add(object);
            }
        }
        return objects;
    }

    /**
     * Splits a rendered stream into its non-empty YAML documents, each keyed by an index
     * and its {@code # Source:} template path (e.g. {@code 3 tern/templates/ingress/service.yaml}).
     */
    static Map<String, String> documents(String rendered) {
        Map<String, String> docs = new LinkedHashMap<>();
        int i = 0;
        for (String doc : DOCUMENT_SEPARATOR.split(rendered)) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            var m = SOURCE.matcher(doc);
            docs.put(i++ + " " + (m.find() ? m.group(1) : "?"), doc.strip() + "\n");
        }
        return docs;
    }

    /** The objects of one kind, optionally filtered by the app.kubernetes.io/component label. */
    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The objects of a kind the fabric8 model does not know (custom resources), by kind name. */
    static List<GenericKubernetesResource> generic(List<HasMetadata> objects, String kind) {
        return ofKind(objects, GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).toList();
    }
}
