package dev.tern.common.classify;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gives a failure reply its {@link BounceCategory} and {@link BounceAction} (docs/ARCHITECTURE.md,
 * "Bounce classification"): the operator's rules from the policy's {@code bounce-rules} first, then
 * the shipped {@link DefaultBounceRules}, in order; the first rule that matches decides. A reply no
 * rule matches is {@link BounceCategory#OTHER}.
 *
 * <p>An expiry ({@code 4.4.7} "... last error: 452 4.2.2 ...") that no operator rule matches as it
 * stands is classified by its last error, so that mail that expired on a full mailbox counts as
 * {@code mailbox-full}, not as "expired".
 *
 * <p>Immutable and thread-safe; one instance per policy version.
 */
public final class BounceClassifier {

    /** RFC 3463 addressing statuses that say "this address will never work" (RFC 7505 §4.2 for 5.1.10). */
    private static final Set<String> HARD_STATUSES = Set.of("5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10");
    private static final Pattern LAST_ERROR = Pattern.compile("last error: ([2-5][0-9][0-9]) (.*)$");
    private static final Pattern QMAIL_STATUS = Pattern.compile("\\(#([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\)");
    private static final Pattern RAW = Pattern.compile("^([2-5][0-9][0-9])[ -]?(.*)$", Pattern.DOTALL);
    private static final BounceClassifier DEFAULTS = new BounceClassifier(List.of());

    private final List<BounceRule> operatorRules;
    private final List<BounceRule> defaultRules;

    public BounceClassifier(List<BounceRule> operatorRules) {
        this.operatorRules = List.copyOf(operatorRules);
        this.defaultRules = DefaultBounceRules.rules();
    }

    /** The shipped rules alone. */
    public static BounceClassifier defaults() {
        return DEFAULTS;
    }

    public List<BounceRule> operatorRules() {
        return operatorRules;
    }

    public Classification classify(Reply reply) {
        return classify(reply.code(), reply.text());
    }

    /**
     * @param code the reply code
     * @param text the reply text with its enhanced status code in front, if any (as in {@link Reply#text()})
     */
    public Classification classify(int code, String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("#") && EnhancedStatus.startsWithStatus(t.substring(1))) {
            t = t.substring(1); // Cisco AsyncOS: "550 #5.1.0 Address rejected."
        }
        String status = statusOf(t);
        String line = code + " " + t;
        if (status == null) {
            var trailing = QMAIL_STATUS.matcher(t);
            if (trailing.find()) {
                status = trailing.group(1); // qmail: "Sorry, no mailbox here by that name. (#5.1.1)"
                line = code + " " + status + " " + t;
            }
        }
        Classification c = first(operatorRules, code, status, line);
        if (c != null) {
            return c;
        }
        if ("4.4.7".equals(status)) {
            var last = LAST_ERROR.matcher(t);
            if (last.find()) {
                return classify(Integer.parseInt(last.group(1)), last.group(2));
            }
        }
        c = first(defaultRules, code, status, line);
        return c != null ? c : new Classification(BounceCategory.OTHER, defaultAction(BounceCategory.OTHER, code, status),
                "no rule matched");
    }

    /**
     * A reply line as logged or published, {@code 550 5.1.1 text} or a multi-line reply's
     * {@code 550-5.1.1 text}; a line that does not start with a reply code is {@link BounceCategory#OTHER}.
     */
    public Classification classifyLine(String raw) {
        var m = RAW.matcher(raw.strip());
        if (!m.matches()) {
            return new Classification(BounceCategory.OTHER, BounceAction.NONE, "not a reply");
        }
        return classify(Integer.parseInt(m.group(1)), m.group(2));
    }

    /**
     * The action of a rule that names none: permanent failures that say the address does not exist
     * ({@code invalid-recipient}, or an RFC 3463 {@code 5.1.1}, {@code 5.1.2}, {@code 5.1.3},
     * {@code 5.1.6} or {@code 5.1.10} status whatever the category) suppress the recipient; every
     * other failure only gets its category.
     */
    public static BounceAction defaultAction(BounceCategory category, int code, String status) {
        boolean permanent = code >= 500;
        if (permanent && (category == BounceCategory.INVALID_RECIPIENT || status != null && HARD_STATUSES.contains(status))) {
            return BounceAction.SUPPRESS;
        }
        return BounceAction.NONE;
    }

    private static Classification first(List<BounceRule> rules, int code, String status, String line) {
        for (BounceRule r : rules) {
            if (r.matches(code, status, line)) {
                BounceAction action = r.action() != null ? r.action() : defaultAction(r.category(), code, status);
                return new Classification(r.category(), action, r.name());
            }
        }
        return null;
    }

    /** The enhanced status code at the start of {@code text}, or null. */
    private static String statusOf(String text) {
        if (!EnhancedStatus.startsWithStatus(text)) {
            return null;
        }
        int sp = text.indexOf(' ');
        return sp < 0 ? text : text.substring(0, sp);
    }
}
