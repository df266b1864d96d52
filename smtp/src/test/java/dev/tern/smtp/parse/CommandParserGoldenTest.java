package dev.tern.smtp.parse;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.reply.Parsed;
import dev.tern.smtp.testing.GoldenFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every line of {@code parse/<case>.in} is one command line (bytes before CRLF; a leading
 * {@code "utf8: "} parses it inside an SMTPUTF8 transaction). The {@code .ref} holds one line
 * per command: the input, {@code =>}, and the parsed command or the refusal reply.
 */
class CommandParserGoldenTest {

    private static final String AREA = "parse";
    private static final byte[] UTF8_PREFIX = "utf8: ".getBytes(StandardCharsets.US_ASCII);

    @TestFactory
    Stream<DynamicTest> parsesEachLineAsTheReferenceSays() {
        return GoldenFiles.cases(AREA).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            var out = new StringBuilder();
            for (byte[] line : lines(GoldenFiles.input(AREA, name))) {
                boolean utf8 = startsWith(line, UTF8_PREFIX);
                byte[] command = utf8 ? Arrays.copyOfRange(line, UTF8_PREFIX.length, line.length) : line;
                out.append(GoldenFiles.escape(line)).append(" => ")
                        .append(escape(render(CommandParser.parse(command, utf8)))).append('\n');
            }
            GoldenFiles.assertMatchesRef(AREA, name, out.toString());
        }));
    }

    static String render(Parsed<Command> parsed) {
        if (!parsed.isOk()) {
            return parsed.reply().toString();
        }
        Command command = parsed.value();
        if (command instanceof Command.Ehlo ehlo) {
            return "EHLO domain=" + ehlo.domain();
        } else if (command instanceof Command.Helo helo) {
            return "HELO domain=" + helo.domain();
        } else if (command instanceof Command.MailFrom mail) {
            MailParameters p = mail.parameters();
            return "MAIL sender=" + mail.sender()
                    + (p.size() == null ? "" : " size=" + p.size())
                    + (p.body() == null ? "" : " body=" + p.body().keyword())
                    + (p.smtpUtf8() ? " smtputf8" : "")
                    + (p.ret() == null ? "" : " ret=" + p.ret())
                    + (p.envId() == null ? "" : " envid=" + p.envId())
                    + (p.auth() == null ? "" : " auth=" + p.auth());
        } else if (command instanceof Command.RcptTo rcpt) {
            ForwardPath path = rcpt.recipient();
            RcptParameters p = rcpt.parameters();
            return "RCPT recipient=" + path
                    + (path.isPostmaster() ? " postmaster" : "")
                    + (path.hasRoutingCharacters() ? " routing-characters" : "")
                    + (p.notifyOn().isEmpty() ? "" : " notify=" + p.notifyOn().stream().sorted()
                            .map(Enum::name).collect(Collectors.joining(",")))
                    + (p.orcpt() == null ? "" : " orcpt=" + p.orcpt().addressType() + ";" + p.orcpt().address());
        } else if (command instanceof Command.Bdat bdat) {
            return "BDAT size=" + bdat.size() + (bdat.last() ? " last" : "");
        } else if (command instanceof Command.Auth auth) {
            return "AUTH mechanism=" + auth.mechanism()
                    + (auth.initialResponse() == null ? "" : " initial=" + auth.initialResponse());
        } else if (command instanceof Command.Vrfy vrfy) {
            return "VRFY argument=" + vrfy.argument();
        } else if (command instanceof Command.Expn expn) {
            return "EXPN argument=" + expn.argument();
        } else if (command instanceof Command.Help help) {
            return "HELP topic=" + help.topic();
        }
        return command.verb();
    }

    private static String escape(String text) {
        return GoldenFiles.escape(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[][] lines(byte[] file) {
        var lines = new java.util.ArrayList<byte[]>();
        var line = new ByteArrayOutputStream();
        for (byte b : file) {
            if (b == '\n') {
                lines.add(line.toByteArray());
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines.toArray(new byte[0][]);
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        return line.length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }
}
