package dev.tern.common.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules Tern ships, read once from {@code default-bounce-rules.txt} next to this class: one
 * rule a line, {@code category action match} separated by white space ({@code -} for the
 * category's default action), the match taking the rest of the line; {@code #} starts a comment
 * line. Ordered from the most specific wording (receivers' own texts) to the RFC 3463 status and
 * the bare reply code, so a receiver's words beat a generic status.
 */
public final class DefaultBounceRules {

    static final String RESOURCE = "default-bounce-rules.txt";
    private static final List<BounceRule> RULES = load();

    private DefaultBounceRules() {
    }

    public static List<BounceRule> rules() {
        return RULES;
    }

    private static List<BounceRule> load() {
        try (InputStream in = DefaultBounceRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<BounceRule> parse(List<String> lines) {
        var out = new ArrayList<BounceRule>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            String where = RESOURCE + " line " + (i + 1);
            if (f.length < 3) {
                throw new IllegalStateException(where + ": needs category, action and match");
            }
            BounceCategory category = BounceCategory.ofLabel(f[0])
                    .orElseThrow(() -> new IllegalStateException(where + ": unknown category " + f[0]));
            BounceAction action = f[1].equals("-") ? null : BounceAction.ofLabel(f[1])
                    .orElseThrow(() -> new IllegalStateException(where + ": unknown action " + f[1]));
            try {
                out.add(BounceRule.of(RESOURCE + ":" + (i + 1), f[2], category, action));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
