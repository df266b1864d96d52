package dev.tern.smtp.parse;

import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import dev.tern.smtp.dsn.XText;
import dev.tern.smtp.reply.Parsed;
import dev.tern.smtp.reply.Reply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the {@code esmtp-param} lists of MAIL and RCPT (RFC 5321 §4.1.2: {@code esmtp-keyword
 * ["=" esmtp-value]}) into {@link MailParameters} and {@link RcptParameters}.
 *
 * <p>Known keywords: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET and
 * ENVID (RFC 3461 §4.3–4.4), AUTH (RFC 4954 §5) on MAIL; NOTIFY and ORCPT (RFC 3461 §4.1–4.2) on
 * RCPT. An unknown keyword is {@code 555 5.5.4} (RFC 5321 §4.1.1.11: "MAIL FROM/RCPT TO
 * parameters not recognized or not implemented"); a malformed parameter, a duplicate or a bad
 * value of a known keyword is {@code 501 5.5.4} ("syntax error in parameters or arguments",
 * RFC 5321 §4.2.2, RFC 1870 §6), as Postfix answers ({@code 501 5.5.4 Bad message size syntax}).
 * Stateless.
 */
final class ParameterParser {

    /** RFC 3461 §4.4: ENVID is at most 100 characters. */
    private static final int MAX_ENVID = 100;
    /** RFC 3461 §4.2: ORCPT is at most 500 characters. */
    private static final int MAX_ORCPT = 500;

    private ParameterParser() {
    }

    static Parsed<MailParameters> mail(List<String> tokens) {
        Long size = null;
        BodyType body = null;
        boolean smtpUtf8 = false;
        Ret ret = null;
        String envId = null;
        String auth = null;
        Parsed<List<Param>> params = params(tokens);
        if (!params.isOk()) {
            return Parsed.failed(params.reply());
        }
        for (Param param : params.value()) {
            String keyword = param.keyword();
            String value = param.value();
            switch (keyword) {
                case "SIZE" -> {
                    if (value == null || !value.chars().allMatch(c -> c >= '0' && c <= '9') || value.length() > 20) {
                        return bad("SIZE");
                    }
                    size = saturatedLong(value);
                }
                case "BODY" -> {
                    body = value == null ? null : BodyType.fromKeyword(value);
                    if (body == null) {
                        return bad("BODY");
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        return bad("SMTPUTF8");
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    ret = "FULL".equalsIgnoreCase(value) ? Ret.FULL
                            : "HDRS".equalsIgnoreCase(value) ? Ret.HDRS : null;
                    if (ret == null) {
                        return bad("RET");
                    }
                }
                case "ENVID" -> {
                    envId = value == null || value.length() > MAX_ENVID ? null : XText.decodeOrNull(value);
                    if (envId == null) {
                        return bad("ENVID");
                    }
                }
                case "AUTH" -> {
                    auth = value == null ? null : XText.decodeOrNull(value);
                    if (auth == null || auth.isEmpty()) {
                        return bad("AUTH");
                    }
                }
                default -> {
                    return unsupported(keyword);
                }
            }
        }
        return Parsed.ok(new MailParameters(size, body, smtpUtf8, ret, envId, auth));
    }

    static Parsed<RcptParameters> rcpt(List<String> tokens) {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        OriginalRecipient orcpt = null;
        Parsed<List<Param>> params = params(tokens);
        if (!params.isOk()) {
            return Parsed.failed(params.reply());
        }
        for (Param param : params.value()) {
            String keyword = param.keyword();
            String value = param.value();
            switch (keyword) {
                case "NOTIFY" -> {
                    notify = value == null ? null : notifyList(value);
                    if (notify == null) {
                        return bad("NOTIFY");
                    }
                }
                case "ORCPT" -> {
                    orcpt = value == null || value.length() > MAX_ORCPT ? null : originalRecipient(value);
                    if (orcpt == null) {
                        return bad("ORCPT");
                    }
                }
                default -> {
                    return unsupported(keyword);
                }
            }
        }
        return Parsed.ok(new RcptParameters(notify, orcpt));
    }

    /** {@code "NEVER"} alone, or a comma list of SUCCESS, FAILURE and DELAY (RFC 3461 §4.1). */
    private static Set<Notify> notifyList(String value) {
        Set<Notify> result = EnumSet.noneOf(Notify.class);
        for (String item : value.split(",", -1)) {
            Notify type;
            try {
                type = Notify.valueOf(item.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!result.add(type)) {
                return null;
            }
        }
        if (result.contains(Notify.NEVER) && result.size() > 1) {
            return null;
        }
        return result;
    }

    /** {@code addr-type ";" xtext}, addr-type an RFC 5322 atom. */
    private static OriginalRecipient originalRecipient(String value) {
        int semi = value.indexOf(';');
        if (semi <= 0) {
            return null;
        }
        String type = value.substring(0, semi);
        if (!type.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '-')) {
            return null;
        }
        String address = XText.decodeOrNull(value.substring(semi + 1));
        return address == null || address.isEmpty() ? null : new OriginalRecipient(type, address);
    }

    /** One {@code keyword[=value]} token (RFC 5321 §4.1.2 esmtp-param), keyword upper-cased. */
    private record Param(String keyword, String value) {
        static Param of(String token) {
            int eq = token.indexOf('=');
            return new Param((eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT),
                    eq < 0 ? null : token.substring(eq + 1));
        }
    }

    /** Splits and checks every token (syntax, duplicates) before any is interpreted. */
    private static Parsed<List<Param>> params(List<String> tokens) {
        var seen = new HashSet<String>();
        var out = new ArrayList<Param>(tokens.size());
        for (String token : tokens) {
            Param param = Param.of(token);
            Reply syntax = checkSyntax(token, param.keyword(), param.value(), seen);
            if (syntax != null) {
                return Parsed.failed(syntax);
            }
            out.add(param);
        }
        return Parsed.ok(out);
    }

    /** Keyword and value grammar of RFC 5321 §4.1.2, and no keyword twice. */
    private static Reply checkSyntax(String token, String keyword, String value, Set<String> seen) {
        boolean keywordOk = !keyword.isEmpty() && isAlnum(keyword.charAt(0))
                && keyword.chars().allMatch(c -> isAlnum((char) c) || c == '-');
        if (!keywordOk) {
            return Reply.of(501, "5.5.4", "Malformed parameter: " + printable(token));
        }
        if (value != null && (value.isEmpty() || !value.chars().allMatch(c -> c >= 33 && c <= 126 && c != '=' || c >= 0x80))) {
            return Reply.of(501, "5.5.4", "Malformed value for parameter " + keyword);
        }
        if (!seen.add(keyword)) {
            return Reply.of(501, "5.5.4", "Duplicate parameter " + keyword);
        }
        return null;
    }

    private static <T> Parsed<T> bad(String keyword) {
        return Parsed.failed(Reply.of(501, "5.5.4", "Invalid " + keyword + " parameter value"));
    }

    private static <T> Parsed<T> unsupported(String keyword) {
        return Parsed.failed(Reply.of(555, "5.5.4", "Unsupported option: " + keyword));
    }

    private static long saturatedLong(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Keeps reply text free of control characters and bounded in size. */
    static String printable(String text) {
        var out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
