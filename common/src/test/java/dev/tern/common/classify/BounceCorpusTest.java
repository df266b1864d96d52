package dev.tern.common.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules against {@code bounce-corpus.tsv}: real replies of the largest receivers,
 * taken from their public documentation, each with the category a person would give it. At least
 * 95% must come out as listed; the misses are printed so a rule change can be judged.
 */
class BounceCorpusTest {

    record Sample(int line, BounceCategory expected, String reply) {
    }

    @Test
    void shippedRulesClassifyAtLeast95PercentOfTheCorpus() throws IOException {
        List<Sample> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        var misses = new ArrayList<String>();
        for (Sample s : corpus) {
            Classification c = BounceClassifier.defaults().classifyLine(s.reply());
            if (c.category() != s.expected()) {
                misses.add("line " + s.line() + ": expected " + s.expected().label() + ", got " + c.category().label()
                        + " by [" + c.rule() + "]: " + s.reply());
            }
        }
        double correct = 100.0 * (corpus.size() - misses.size()) / corpus.size();
        System.out.printf("bounce corpus: %d of %d correct (%.1f%%)%n", corpus.size() - misses.size(), corpus.size(),
                correct);
        misses.forEach(m -> System.out.println("  miss " + m));
        assertThat(correct).as("share of the corpus classified as listed; misses:%n%s", String.join("\n", misses))
                .isGreaterThanOrEqualTo(95.0);
    }

    @Test
    void everyCategoryIsInTheCorpus() throws IOException {
        var seen = corpus().stream().map(Sample::expected).distinct().toList();
        assertThat(seen).containsExactlyInAnyOrder(BounceCategory.values());
    }

    static List<Sample> corpus() throws IOException {
        try (InputStream in = BounceCorpusTest.class.getResourceAsStream("/bounce-corpus.tsv")) {
            assertThat(in).as("bounce-corpus.tsv on the test class path").isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            var out = new ArrayList<Sample>();
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\t", 2);
                assertThat(f).as("line %d has <category> TAB <reply>", i + 1).hasSize(2);
                BounceCategory expected = BounceCategory.ofLabel(f[0]).orElseThrow(
                        () -> new AssertionError("line " + " unknown category " + f[0]));
                out.add(new Sample(i + 1, expected, f[1]));
            }
            return out;
        }
    }
}
