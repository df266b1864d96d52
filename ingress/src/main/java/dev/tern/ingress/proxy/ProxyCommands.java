package dev.tern.ingress.proxy;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.client.EhloCapabilities;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.XText;
import dev.tern.smtp.parse.BodyType;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import java.nio.charset.StandardCharsets;

/**
 * The commands the proxy sends upstream, rebuilt from what the client's session parsed (never the
 * client's raw line, so nothing the session refused can reach the upstream). A MAIL or RCPT
 * parameter goes upstream only when the upstream advertised its extension, as a relaying MTA
 * does (RFC 3461 §4: DSN parameters are dropped towards a server without DSN).
 */
final class ProxyCommands {

    private ProxyCommands() {
    }

    static byte[] mail(ReversePath sender, MailParameters p, EhloCapabilities caps) {
        var line = new StringBuilder("MAIL FROM:").append(sender);
        if (p.size() != null && caps.size()) {
            line.append(" SIZE=").append(p.size());
        }
        if (p.body() == BodyType.EIGHT_BIT_MIME && caps.eightBitMime()
                || p.body() == BodyType.BINARY_MIME && caps.supports("BINARYMIME")
                || p.body() == BodyType.SEVEN_BIT) {
            line.append(" BODY=").append(p.body().keyword());
        }
        if (p.smtpUtf8()) {
            line.append(" SMTPUTF8");
        }
        if (caps.dsn()) {
            if (p.ret() != null) {
                line.append(" RET=").append(p.ret().name());
            }
            if (p.envId() != null) {
                line.append(" ENVID=").append(XText.encode(p.envId()));
            }
        }
        return crlf(line);
    }

    static byte[] rcpt(ForwardPath recipient, RcptParameters p, EhloCapabilities caps) {
        var line = new StringBuilder("RCPT TO:").append(recipient);
        if (caps.dsn()) {
            if (!p.notifyOn().isEmpty()) {
                line.append(" NOTIFY=").append(Notify.toParameter(p.notifyOn()));
            }
            if (p.orcpt() != null) {
                line.append(" ORCPT=").append(p.orcpt().toParameter());
            }
        }
        return crlf(line);
    }

    /**
     * Postfix's XFORWARD (sent only when advertised, i.e. when the upstream trusts us through
     * {@code smtpd_authorized_xforward_hosts}): the upstream logs and checks the real client
     * rather than the proxy.
     */
    static byte[] xforward(String clientAddress, String heloName, boolean esmtp) {
        var line = new StringBuilder("XFORWARD NAME=[UNAVAILABLE] ADDR=").append(XText.encode(clientAddress))
                .append(" PROTO=").append(esmtp ? "ESMTP" : "SMTP");
        if (heloName != null && !heloName.isEmpty()) {
            line.append(" HELO=").append(XText.encode(heloName));
        }
        return crlf(line);
    }

    static byte[] rset() {
        return "RSET\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] crlf(StringBuilder line) {
        return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
