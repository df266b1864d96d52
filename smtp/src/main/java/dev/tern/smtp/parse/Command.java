package dev.tern.smtp.parse;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import java.util.Objects;

/**
 * One parsed SMTP command (RFC 5321 §4.1.1, RFC 3207, RFC 4954, RFC 3030).
 *
 * <p>Produced by {@link CommandParser}; consumed by the server state machine. The parser checks
 * syntax only: whether a command is allowed now, or a parameter's extension was advertised, is
 * the session's business. All variants are immutable records.
 */
public sealed interface Command {

    /** The verb as it is written on the wire, e.g. {@code "MAIL"}. */
    String verb();

    /** {@code HELO domain} (RFC 5321 §4.1.1.1). The argument is kept as sent. */
    record Helo(String domain) implements Command {
        public Helo {
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public String verb() {
            return "HELO";
        }
    }

    /** {@code EHLO domain} (RFC 5321 §4.1.1.1). The argument is kept as sent. */
    record Ehlo(String domain) implements Command {
        public Ehlo {
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public String verb() {
            return "EHLO";
        }
    }

    /** {@code MAIL FROM:<reverse-path> [params]} (RFC 5321 §4.1.1.2). */
    record MailFrom(ReversePath sender, MailParameters parameters) implements Command {
        public MailFrom {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(parameters, "parameters");
        }

        @Override
        public String verb() {
            return "MAIL";
        }
    }

    /** {@code RCPT TO:<forward-path> [params]} (RFC 5321 §4.1.1.3). */
    record RcptTo(ForwardPath recipient, RcptParameters parameters) implements Command {
        public RcptTo {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(parameters, "parameters");
        }

        @Override
        public String verb() {
            return "RCPT";
        }
    }

    /** {@code DATA} (RFC 5321 §4.1.1.4). */
    record Data() implements Command {
        @Override
        public String verb() {
            return "DATA";
        }
    }

    /** {@code BDAT chunk-size [LAST]} (RFC 3030 §2). */
    record Bdat(long size, boolean last) implements Command {
        public Bdat {
            if (size < 0) {
                throw new IllegalArgumentException("negative chunk size");
            }
        }

        @Override
        public String verb() {
            return "BDAT";
        }
    }

    /** {@code RSET} (RFC 5321 §4.1.1.5). */
    record Rset() implements Command {
        @Override
        public String verb() {
            return "RSET";
        }
    }

    /** {@code NOOP [string]} (RFC 5321 §4.1.1.9); the argument is ignored. */
    record Noop() implements Command {
        @Override
        public String verb() {
            return "NOOP";
        }
    }

    /** {@code QUIT} (RFC 5321 §4.1.1.10). */
    record Quit() implements Command {
        @Override
        public String verb() {
            return "QUIT";
        }
    }

    /** {@code VRFY string} (RFC 5321 §4.1.1.6). */
    record Vrfy(String argument) implements Command {
        @Override
        public String verb() {
            return "VRFY";
        }
    }

    /** {@code EXPN string} (RFC 5321 §4.1.1.7). */
    record Expn(String argument) implements Command {
        @Override
        public String verb() {
            return "EXPN";
        }
    }

    /** {@code HELP [string]} (RFC 5321 §4.1.1.8); the topic is empty when none was given. */
    record Help(String topic) implements Command {
        @Override
        public String verb() {
            return "HELP";
        }
    }

    /** {@code STARTTLS} (RFC 3207 §4). */
    record StartTls() implements Command {
        @Override
        public String verb() {
            return "STARTTLS";
        }
    }

    /**
     * {@code AUTH mechanism [initial-response]} (RFC 4954 §4). The mechanism is upper-cased; the
     * initial response is the raw base64 text ({@code "="} for an empty one) or {@code null}.
     */
    record Auth(String mechanism, String initialResponse) implements Command {
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
        }

        @Override
        public String verb() {
            return "AUTH";
        }
    }
}
