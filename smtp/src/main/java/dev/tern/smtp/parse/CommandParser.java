package dev.tern.smtp.parse;

import dev.tern.smtp.address.AddressError;
import dev.tern.smtp.address.AddressRole;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.reply.Parsed;
import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one command line (the bytes before CRLF, as {@code CommandLineReader} delivers them) into
 * a {@link Command}, or the reply that refuses it.
 *
 * <p>Grammar: RFC 5321 §4.1.1 and §4.1.2, RFC 3030 §2 (BDAT), RFC 3207 §4 (STARTTLS), RFC 4954
 * §4 (AUTH). Verbs are case-insensitive. Two leniencies, both Postfix's: spaces after
 * {@code MAIL FROM:} / {@code RCPT TO:} are skipped, and trailing spaces at the end of the line
 * are ignored. Everything else is strict: angle brackets are required, parameters are separated
 * by spaces, arguments of argument-less commands are refused.
 *
 * <p>Failures: unknown verb {@code 500 5.5.2}, command syntax {@code 501 5.5.4}, address syntax
 * {@code 501 5.1.7|5.1.3} or {@code 553 5.6.7} (see {@link AddressError}), unknown parameters
 * {@code 555 5.5.4}, malformed ones {@code 501 5.5.4} (see {@link ParameterParser}). The line is
 * decoded as UTF-8 with replacement, so malformed UTF-8 inside an address is caught by the
 * address parser. Stateless and thread-safe.
 */
public final class CommandParser {

    private CommandParser() {
    }

    /**
     * Parses {@code line}. {@code smtpUtf8Transaction} tells whether the current transaction's
     * MAIL carried SMTPUTF8, which allows UTF-8 in RCPT addresses (RFC 6531 §3.4); a MAIL command
     * decides that for itself from its own parameters.
     */
    public static Parsed<Command> parse(byte[] line, boolean smtpUtf8Transaction) {
        String text = stripTrailingSpaces(new String(line, StandardCharsets.UTF_8));
        int sp = text.indexOf(' ');
        String verb = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : text.substring(sp + 1);
        return switch (verb) {
            case "HELO" -> domainArgument(arg, "HELO").map(Command.Helo::new);
            case "EHLO" -> domainArgument(arg, "EHLO").map(Command.Ehlo::new);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg, smtpUtf8Transaction);
            case "DATA" -> noArgument(arg, new Command.Data());
            case "BDAT" -> bdat(arg);
            case "RSET" -> noArgument(arg, new Command.Rset());
            case "NOOP" -> Parsed.ok(new Command.Noop());
            case "QUIT" -> noArgument(arg, new Command.Quit());
            case "VRFY" -> arg.isEmpty() ? syntax("VRFY address") : Parsed.ok(new Command.Vrfy(arg));
            case "EXPN" -> arg.isEmpty() ? syntax("EXPN mailing-list") : Parsed.ok(new Command.Expn(arg));
            case "HELP" -> Parsed.ok(new Command.Help(arg));
            case "STARTTLS" -> noArgument(arg, new Command.StartTls());
            case "AUTH" -> auth(arg);
            default -> Parsed.failed(Reply.of(500, "5.5.2", "Error: command not recognized"));
        };
    }

    private static Parsed<Command> mail(String arg) {
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            return syntax("MAIL FROM:<address>");
        }
        var split = splitPath(arg.substring(5));
        if (split == null) {
            return Parsed.failed(AddressError.SYNTAX.reply(AddressRole.SENDER));
        }
        Parsed<MailParameters> params = ParameterParser.mail(split.parameters());
        if (!params.isOk()) {
            return Parsed.failed(params.reply());
        }
        Parsed<ReversePath> sender = ReversePath.parse(split.path(), params.value().smtpUtf8());
        if (!sender.isOk()) {
            return Parsed.failed(sender.reply());
        }
        return Parsed.ok(new Command.MailFrom(sender.value(), params.value()));
    }

    private static Parsed<Command> rcpt(String arg, boolean smtpUtf8) {
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            return syntax("RCPT TO:<address>");
        }
        var split = splitPath(arg.substring(3));
        if (split == null) {
            return Parsed.failed(AddressError.SYNTAX.reply(AddressRole.RECIPIENT));
        }
        Parsed<ForwardPath> recipient = ForwardPath.parse(split.path(), smtpUtf8);
        if (!recipient.isOk()) {
            return Parsed.failed(recipient.reply());
        }
        Parsed<RcptParameters> params = ParameterParser.rcpt(split.parameters());
        if (!params.isOk()) {
            return Parsed.failed(params.reply());
        }
        return Parsed.ok(new Command.RcptTo(recipient.value(), params.value()));
    }

    private record PathAndParameters(String path, List<String> parameters) {
    }

    /**
     * Splits {@code [spaces] "<" ... ">" [SP params]}, finding the closing bracket outside any
     * quoted local part ({@code <"a>b"@c>}). Null when there is no bracketed path.
     */
    private static PathAndParameters splitPath(String text) {
        int start = 0;
        while (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        if (start >= text.length() || text.charAt(start) != '<') {
            return null;
        }
        boolean quoted = false;
        int end = -1;
        for (int i = start + 1; i < text.length() && end < 0; i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                end = i;
            }
        }
        if (end < 0) {
            return null;
        }
        String rest = text.substring(end + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            return null;
        }
        var parameters = new ArrayList<String>();
        for (String token : rest.split(" +")) {
            if (!token.isEmpty()) {
                parameters.add(token);
            }
        }
        return new PathAndParameters(text.substring(start, end + 1), parameters);
    }

    /** {@code BDAT SP chunk-size [SP end-marker]}, chunk-size = 1*DIGIT, end-marker = "LAST". */
    private static Parsed<Command> bdat(String arg) {
        String[] parts = arg.split(" ", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts[0].length() > 18
                || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return syntax("BDAT chunk-size [LAST]");
        }
        if (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST")) {
            return syntax("BDAT chunk-size [LAST]");
        }
        return Parsed.ok(new Command.Bdat(Long.parseLong(parts[0]), parts.length == 2));
    }

    /** {@code AUTH SP sasl-mech [SP initial-response]} (RFC 4954 §4, RFC 4422 §3.1). */
    private static Parsed<Command> auth(String arg) {
        String[] parts = arg.split(" ", -1);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        boolean mechanismOk = !mechanism.isEmpty() && mechanism.length() <= 20
                && mechanism.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
        if (parts.length > 2 || !mechanismOk || (parts.length == 2 && parts[1].isEmpty())) {
            return syntax("AUTH mechanism [initial-response]");
        }
        return Parsed.ok(new Command.Auth(mechanism, parts.length == 2 ? parts[1] : null));
    }

    /**
     * HELO/EHLO take exactly one word: a domain or address literal, checked by policy, not here.
     * The word goes into our {@code Received:} field, so it must be printable: no controls (C0 or
     * C1) and no malformed UTF-8 (decoded as U+FFFD; Postfix: "bad UTF-8 syntax").
     */
    private static Parsed<String> domainArgument(String arg, String verb) {
        if (arg.isEmpty() || arg.indexOf(' ') >= 0
                || !arg.chars().allMatch(c -> c > 32 && (c < 127 || c > 159) && c != 0xFFFD)) {
            return Parsed.failed(Reply.of(501, "5.5.4", "Syntax: " + verb + " hostname"));
        }
        return Parsed.ok(arg);
    }

    private static Parsed<Command> noArgument(String arg, Command command) {
        return arg.isEmpty() ? Parsed.ok(command) : syntax(command.verb());
    }

    private static <T> Parsed<T> syntax(String usage) {
        return Parsed.failed(Reply.of(501, "5.5.4", "Syntax: " + usage));
    }

    private static String stripTrailingSpaces(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }
}
