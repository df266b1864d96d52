package dev.tern.smtp.server;

import dev.tern.smtp.io.BareNewlinePolicy;
import dev.tern.smtp.io.DataOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Per-listener settings of a {@link ServerSession}: what the server advertises, and its limits.
 *
 * <p>Defaults follow Postfix where it has a setting: 1000 recipients
 * ({@code smtpd_recipient_limit}), 50 {@code Received:} headers ({@code hopcount_limit}), 20
 * errors before disconnect ({@code smtpd_hard_error_limit}), AUTH only under TLS
 * ({@code smtpd_tls_auth_only}). The size limit defaults to the queue's 50 MiB record size.
 * Immutable; build with {@link #builder(String)}.
 */
public final class SessionConfig {

    private final String hostname;
    private final long maxMessageSize;
    private final int maxRecipients;
    private final Set<Extension> extensions;
    private final List<String> authMechanisms;
    private final boolean plaintextAuth;
    private final boolean authRequired;
    private final boolean tlsRequired;
    private final TlsInfo implicitTls;
    private final int maxReceivedHeaders;
    private final BareNewlinePolicy bareNewlines;
    private final int hardErrorLimit;
    private final int junkCommandLimit;
    private final int maxCommandLine;

    private SessionConfig(Builder b) {
        this.hostname = b.hostname;
        this.maxMessageSize = b.maxMessageSize;
        this.maxRecipients = b.maxRecipients;
        this.extensions = Set.copyOf(b.extensions);
        this.authMechanisms = List.copyOf(b.authMechanisms);
        this.plaintextAuth = b.plaintextAuth;
        this.authRequired = b.authRequired;
        this.tlsRequired = b.tlsRequired;
        this.implicitTls = b.implicitTls;
        this.maxReceivedHeaders = b.maxReceivedHeaders;
        this.bareNewlines = b.bareNewlines;
        this.hardErrorLimit = b.hardErrorLimit;
        this.junkCommandLimit = b.junkCommandLimit;
        this.maxCommandLine = b.maxCommandLine;
    }

    /** A builder with the defaults, for a server that names itself {@code hostname}. */
    public static Builder builder(String hostname) {
        return new Builder(hostname);
    }

    public String hostname() {
        return hostname;
    }

    /** Largest accepted message in octets (RFC 1870), advertised as {@code SIZE n}. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** Recipients per transaction; more get {@code 452 4.5.3} (RFC 5321 §4.5.3.1.8). */
    public int maxRecipients() {
        return maxRecipients;
    }

    /** Extensions this listener offers (subject to the TLS conditions in {@link Extension}). */
    public Set<Extension> extensions() {
        return extensions;
    }

    /** SASL mechanisms offered, in EHLO order; this session implements PLAIN and LOGIN. */
    public List<String> authMechanisms() {
        return authMechanisms;
    }

    /** Whether AUTH is offered without TLS (default no: passwords would travel in clear). */
    public boolean plaintextAuth() {
        return plaintextAuth;
    }

    /** Submission: MAIL needs a successful AUTH first ({@code 530 5.7.0}, RFC 4954 §6). */
    public boolean authRequired() {
        return authRequired;
    }

    /** MAIL and AUTH need STARTTLS first ({@code 530 5.7.0}, RFC 3207 §4). */
    public boolean tlsRequired() {
        return tlsRequired;
    }

    /** The TLS of an implicit-TLS listener (port 465, RFC 8314 §3.3), or {@code null}. */
    public TlsInfo implicitTls() {
        return implicitTls;
    }

    public int hardErrorLimit() {
        return hardErrorLimit;
    }

    /** NOOP, RSET, VRFY and EXPN a session may send before each further one counts as an error. */
    public int junkCommandLimit() {
        return junkCommandLimit;
    }

    public int maxCommandLine() {
        return maxCommandLine;
    }

    /** The body reader limits derived from this configuration. */
    public DataOptions dataOptions() {
        return new DataOptions(maxMessageSize, bareNewlines, maxReceivedHeaders);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final String hostname;
        private long maxMessageSize = 50L * 1024 * 1024;
        private int maxRecipients = 1000;
        private Set<Extension> extensions = EnumSet.complementOf(EnumSet.of(Extension.BINARYMIME));
        private List<String> authMechanisms = List.of("PLAIN", "LOGIN");
        private boolean plaintextAuth;
        private boolean authRequired;
        private boolean tlsRequired;
        private TlsInfo implicitTls;
        private int maxReceivedHeaders = 50;
        private BareNewlinePolicy bareNewlines = BareNewlinePolicy.REJECT;
        private int hardErrorLimit = 20;
        private int junkCommandLimit = 100;
        private int maxCommandLine = 512;

        private Builder(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
        }

        public Builder maxMessageSize(long octets) {
            this.maxMessageSize = octets;
            return this;
        }

        public Builder maxRecipients(int count) {
            this.maxRecipients = count;
            return this;
        }

        public Builder extensions(Set<Extension> offered) {
            this.extensions = EnumSet.noneOf(Extension.class);
            this.extensions.addAll(offered);
            return this;
        }

        public Builder without(Extension extension) {
            Set<Extension> copy = EnumSet.noneOf(Extension.class);
            copy.addAll(extensions);
            copy.remove(extension);
            this.extensions = copy;
            return this;
        }

        public Builder authMechanisms(List<String> mechanisms) {
            this.authMechanisms = List.copyOf(mechanisms);
            return this;
        }

        public Builder plaintextAuth(boolean allowed) {
            this.plaintextAuth = allowed;
            return this;
        }

        public Builder authRequired(boolean required) {
            this.authRequired = required;
            return this;
        }

        public Builder tlsRequired(boolean required) {
            this.tlsRequired = required;
            return this;
        }

        public Builder implicitTls(TlsInfo tls) {
            this.implicitTls = tls;
            return this;
        }

        public Builder maxReceivedHeaders(int count) {
            this.maxReceivedHeaders = count;
            return this;
        }

        public Builder bareNewlines(BareNewlinePolicy policy) {
            this.bareNewlines = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder hardErrorLimit(int errors) {
            this.hardErrorLimit = errors;
            return this;
        }

        public Builder junkCommandLimit(int commands) {
            this.junkCommandLimit = commands;
            return this;
        }

        public Builder maxCommandLine(int octets) {
            this.maxCommandLine = octets;
            return this;
        }

        public SessionConfig build() {
            if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw new IllegalArgumentException("hostname must be one word: '" + hostname + "'");
            }
            if (maxMessageSize < 1 || maxRecipients < 1 || maxReceivedHeaders < 1 || hardErrorLimit < 1
                    || junkCommandLimit < 0) {
                throw new IllegalArgumentException("maxMessageSize, maxRecipients, maxReceivedHeaders and "
                        + "hardErrorLimit must be positive, junkCommandLimit not negative");
            }
            if (maxCommandLine < 512) {
                throw new IllegalArgumentException("maxCommandLine below RFC 5321's 512: " + maxCommandLine);
            }
            if (authMechanisms.stream().anyMatch(m -> !m.equals("PLAIN") && !m.equals("LOGIN"))) {
                throw new IllegalArgumentException("only PLAIN and LOGIN are implemented: " + authMechanisms);
            }
            return new SessionConfig(this);
        }
    }
}
