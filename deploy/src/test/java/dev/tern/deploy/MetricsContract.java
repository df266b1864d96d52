package dev.tern.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exported-metrics contract (src/test/resources/exported-metrics.txt) and a small PromQL
 * scanner that finds the series names and labels an expression uses.
 *
 * <p>The scanner is deliberately simple: it removes string literals, range selectors and
 * grouping clauses, then treats every identifier that is not a function call or keyword as a
 * series name. That is exact for the expressions dashboards and alert rules are made of.
 */
final class MetricsContract {

    /** Labels Prometheus attaches at scrape time (target labels), usable on any series. */
    static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "job", "instance", "container", "service");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    /** Series name to the labels it may carry. */
    final Map<String, Set<String>> series = new LinkedHashMap<>();
    /** Contract names as declared (histograms by base name). */
    final Set<String> declared = new HashSet<>();

    static MetricsContract load() {
        try (InputStream in = MetricsContract.class.getResourceAsStream("/exported-metrics.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MetricsContract parse(String text) {
        MetricsContract c = new MetricsContract();
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            if (f.length > 2) {
                labels.addAll(List.of(f[2].split(",")));
            }
            c.declared.add(f[0]);
            switch (f[1]) {
                case "counter", "gauge" -> c.series.put(f[0], labels);
                case "histogram" -> {
                    for (String suffix : HISTOGRAM_SUFFIXES) {
                        Set<String> l = new HashSet<>(labels);
                        if (suffix.equals("_bucket")) {
                            l.add("le");
                        }
                        c.series.put(f[0] + suffix, l);
                    }
                }
                default -> throw new IllegalArgumentException("unknown metric type in: " + line);
            }
        }
        return c;
    }

    /** The declared name a series belongs to (strips histogram suffixes). */
    String declaredName(String seriesName) {
        if (declared.contains(seriesName)) {
            return seriesName;
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (seriesName.endsWith(suffix)) {
                String base = seriesName.substring(0, seriesName.length() - suffix.length());
                if (declared.contains(base)) {
                    return base;
                }
            }
        }
        return seriesName;
    }

    /** Series names an expression reads. */
    static Set<String> seriesIn(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new HashSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String word = m.group();
            boolean call = s.substring(m.end()).stripLeading().startsWith("(");
            boolean grafanaVariable = m.start() > 0 && s.charAt(m.start() - 1) == '$';
            if (!call && !grafanaVariable && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    /** Labels an expression matches on or groups by. */
    static Set<String> labelsIn(String expr) {
        Set<String> labels = new HashSet<>();
        Matcher sel = SELECTOR.matcher(expr);
        while (sel.find()) {
            Matcher m = MATCHER.matcher(sel.group(2).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
            while (m.find()) {
                labels.add(m.group(1));
            }
        }
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String l : g.group(2).split(",")) {
                if (!l.isBlank()) {
                    labels.add(l.strip());
                }
            }
        }
        return labels;
    }
}
