package dev.tern.common.classify;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One classification rule: a match, the category it gives and, optionally, an action.
 *
 * <p>The match is one of
 * <ul>
 *   <li>a reply code, {@code 550}: the reply's code is that one;</li>
 *   <li>an enhanced status code, {@code 5.1.1}: the reply's RFC 3463 status is that one;</li>
 *   <li>anything else: a regular expression (case-insensitive) found anywhere in the reply as
 *       {@code "code enhanced-status text"}, e.g. {@code 550 5.1.1 user unknown}.</li>
 * </ul>
 *
 * @param name     where the rule was written, for logs: {@code bounce-rules[2]} or {@code default-bounce-rules.txt:42}
 * @param match    the match as written
 * @param category the category of a matching reply
 * @param action   the action, or null for the category's default ({@link BounceClassifier#defaultAction})
 */
public record BounceRule(String name, String match, BounceCategory category, BounceAction action, Matcher matcher) {

    private static final Pattern CODE = Pattern.compile("[2-5][0-9][0-9]");
    private static final Pattern STATUS = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

    /** Tests one reply, given as its code, its enhanced status (or null) and its whole line. */
    @FunctionalInterface
    public interface Matcher {
        boolean matches(int code, String status, String line);
    }

    public BounceRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(matcher, "matcher");
    }

    /**
     * A rule for {@code match} (see the class comment).
     *
     * @throws IllegalArgumentException when {@code match} is blank or not a valid regular expression
     */
    public static BounceRule of(String name, String match, BounceCategory category, BounceAction action) {
        if (match == null || match.isBlank()) {
            throw new IllegalArgumentException("the match must not be empty");
        }
        String m = match.strip();
        Matcher matcher;
        if (CODE.matcher(m).matches()) {
            int code = Integer.parseInt(m);
            matcher = (c, s, line) -> c == code;
        } else if (STATUS.matcher(m).matches()) {
            matcher = (c, s, line) -> m.equals(s);
        } else {
            Pattern p;
            try {
                p = Pattern.compile(m, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + m + "' is not a valid regular expression: "
                        + e.getDescription());
            }
            matcher = (c, s, line) -> p.matcher(line).find();
        }
        return new BounceRule(name, m, category, action, matcher);
    }

    public boolean matches(int code, String status, String line) {
        return matcher.matches(code, status, line);
    }

    @Override
    public String toString() {
        return name + ": " + match + " -> " + category.label() + (action == null ? "" : " (" + action.label() + ")");
    }
}
