package dev.tern.ingress.authres;

import dev.tern.ingress.text.CharRuns;
import java.util.List;

/**
 * Renders the {@code Authentication-Results} header field of RFC 8601: the authserv-id, then one
 * {@code resinfo} per method result, each on its own folded line; {@code none} when no method
 * produced a result. Values that are not RFC 2045 tokens (nor a plain {@code local@domain}) are
 * quoted, so nothing a sender put in a signature can break the field's syntax.
 */
public final class AuthenticationResults {

    /** The field name. */
    public static final String NAME = "Authentication-Results";

    /** RFC 2045 token characters that are not letters or digits (the field is built per message: no regex). */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`{|}~";

    private AuthenticationResults() {
    }

    /** The whole header field, {@code Authentication-Results: ...} with its final CRLF. */
    public static String header(String authservId, List<MethodResult> results) {
        return NAME + ": " + value(authservId, results) + "\r\n";
    }

    /** The field value: {@code authserv-id; method=result ...; method=result ...} or {@code authserv-id; none}. */
    public static String value(String authservId, List<MethodResult> results) {
        var out = new StringBuilder(256).append(isToken(authservId) ? authservId : quote(authservId));
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
                        .append(isToken(p.value()) || isAddress(p.value()) ? p.value() : quote(p.value()));
            }
        }
        return out.toString();
    }

    /** An RFC 2045 token: one or more token characters. */
    static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isTokenChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code local@domain} with a token-character local part (maybe empty) and an LDH domain. */
    static boolean isAddress(String value) {
        int at = value.indexOf('@');
        if (at < 0 || at == value.length() - 1) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (!isTokenChar(value.charAt(i))) {
                return false;
            }
        }
        for (int i = at + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return isAsciiLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** A comment's text (RFC 5322 §3.2.2): one line, its parentheses and backslashes escaped. */
    private static String comment(String value) {
        String flat = CharRuns.collapse(value, "\r\n");
        return flat.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
    }

    private static String quote(String value) {
        // No CR/LF may appear in a quoted-string; a reason is one line.
        String flat = CharRuns.collapse(value, "\r\n");
        return '"' + flat.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
