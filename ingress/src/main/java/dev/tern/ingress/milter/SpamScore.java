package dev.tern.ingress.milter;

import dev.tern.smtp.milter.HeaderFields;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spam score a scanner wrote into the message: rspamd's {@code X-Spamd-Result}
 * ({@code default: False [3.40 / 15.00]; ...}), or a plain {@code X-Rspamd-Score} /
 * {@code X-Spam-Score} number. The last such header wins, since milters add theirs below any a
 * sender forged.
 */
final class SpamScore {

    private static final Pattern SPAMD_RESULT = Pattern.compile("^\\s*\\S+:\\s*\\S+\\s*\\[\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*/");
    private static final Pattern NUMBER = Pattern.compile("^\\s*(-?[0-9]+(?:\\.[0-9]+)?)");

    private SpamScore() {
    }

    static OptionalDouble of(byte[] message) {
        OptionalDouble found = OptionalDouble.empty();
        for (var f : HeaderFields.parse(message).fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            Pattern p = name.equals("x-spamd-result") ? SPAMD_RESULT
                    : name.equals("x-rspamd-score") || name.equals("x-spam-score") ? NUMBER : null;
            if (p != null) {
                Matcher m = p.matcher(f.value());
                if (m.find()) {
                    found = OptionalDouble.of(Double.parseDouble(m.group(1)));
                }
            }
        }
        return found;
    }
}
