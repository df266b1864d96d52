package dev.tern.ingress.authres;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders the {@code Authentication-Results} header field of RFC 8601: the authserv-id, then one
 * {@code resinfo} per method result, each on its own folded line; {@code none} when no method
 * produced a result. Values that are not RFC 2045 tokens (nor a plain {@code local@domain}) are
 * quoted, so nothing a sender put in a signature can break the field's syntax.
 */
public final class AuthenticationResults {

    /** The field name. */
    public static final String NAME = "Authentication-Results";

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    private static final Pattern ADDRESS = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]*@[-.0-9A-Za-z]+");

    private AuthenticationResults() {
    }

    /** The whole header field, {@code Authentication-Results: ...} with its final CRLF. */
    public static String header(String authservId, List<MethodResult> results) {
        return NAME + ": " + value(authservId, results) + "\r\n";
    }

    /** The field value: {@code authserv-id; method=result ...; method=result ...} or {@code authserv-id; none}. */
    public static String value(String authservId, List<MethodResult> results) {
        var out = new StringBuilder(quoted(authservId, TOKEN));
        if (results.isEmpty()) {
            return out.append("; none").toString();
        }
        for (MethodResult r : results) {
            out.append(";\r\n\t").append(r.method()).append('=').append(r.result());
            if (r.comment() != null && !r.comment().isEmpty()) {
                out.append(" (").append(comment(r.comment())).append(')');
            }
            if (r.reason() != null && !r.reason().isEmpty()) {
                out.append(" reason=").append(quote(r.reason()));
            }
            for (MethodResult.Property p : r.properties()) {
                out.append(' ').append(p.type()).append('.').append(p.name()).append('=')
                        .append(quoted(p.value(), ADDRESS));
            }
        }
        return out.toString();
    }

    /** {@code value} as is when it is a token or matches {@code alsoBare}, else as a quoted-string. */
    private static String quoted(String value, Pattern alsoBare) {
        if (TOKEN.matcher(value).matches() || alsoBare.matcher(value).matches()) {
            return value;
        }
        return quote(value);
    }

    /** A comment's text (RFC 5322 §3.2.2): one line, its parentheses and backslashes escaped. */
    private static String comment(String value) {
        String flat = value.replaceAll("[\r\n]+", " ");
        return flat.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
    }

    private static String quote(String value) {
        // No CR/LF may appear in a quoted-string; a reason is one line.
        String flat = value.replaceAll("[\r\n]+", " ");
        return '"' + flat.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
