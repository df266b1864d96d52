package dev.tern.ingress.session;

import dev.tern.common.queue.QueuedRecipient;
import dev.tern.smtp.milter.MilterProtocol;
import dev.tern.smtp.milter.MilterTransaction;
import dev.tern.smtp.server.Envelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link MilterTransaction} for one received message: the session replayed as the
 * milter would have seen it live, with the macros rspamd, clamav-milter and the like read
 * ({@code j}, {@code {daemon_name}}, {@code _}, {@code {client_addr}}, {@code i} the queue id,
 * {@code {auth_authen}}, {@code {mail_addr}}, {@code {tls_version}}, ...).
 */
public final class MilterRequests {

    private MilterRequests() {
    }

    static MilterTransaction of(Envelope envelope, SessionFacts facts, List<QueuedRecipient> to, byte[] message,
            String queueId) {
        return forAddresses(envelope, facts, to.stream().map(QueuedRecipient::address).toList(), message, queueId);
    }

    /** As {@link #of}, for recipients given as addresses (the SMTP proxy's, accepted by its upstream). */
    public static MilterTransaction forAddresses(Envelope envelope, SessionFacts facts, List<String> to, byte[] message,
            String queueId) {
        String clientName = "[" + facts.clientAddress() + "]";
        var connect = new LinkedHashMap<String, String>();
        connect.put("j", facts.hostname());
        connect.put("{daemon_name}", "tern-ingress-" + facts.listener());
        connect.put("v", "Tern");
        connect.put("_", clientName + " [" + facts.clientAddress() + "]");
        connect.put("{client_addr}", facts.clientAddress());
        connect.put("{client_name}", clientName);
        var helo = new LinkedHashMap<String, String>();
        if (envelope.tls() != null) {
            helo.put("{tls_version}", envelope.tls().protocol());
            helo.put("{cipher}", envelope.tls().cipherSuite());
        }
        var mail = new LinkedHashMap<String, String>();
        mail.put("i", queueId);
        String sender = envelope.sender().mailbox().map(Object::toString).orElse("");
        mail.put("{mail_addr}", sender);
        if (envelope.authIdentity() != null) {
            mail.put("{auth_authen}", envelope.authIdentity());
            mail.put("{auth_type}", "PLAIN");
        }
        Map<Character, Map<String, String>> macros = Map.of(MilterProtocol.CMD_CONNECT, connect,
                MilterProtocol.CMD_HELO, helo, MilterProtocol.CMD_MAIL, mail,
                MilterProtocol.CMD_DATA, Map.of("i", queueId), MilterProtocol.CMD_BODYEOB, Map.of("i", queueId));
        var params = new ArrayList<String>();
        var p = envelope.mailParameters();
        if (p.body() != null) {
            params.add("BODY=" + p.body().keyword());
        }
        if (p.smtpUtf8()) {
            params.add("SMTPUTF8");
        }
        params.add("SIZE=" + message.length);
        return new MilterTransaction(clientName, facts.client(), 0, envelope.heloName(), "<" + sender + ">", params,
                to.stream().map(r -> "<" + r + ">").toList(), message, macros);
    }

    /** The envelope recipients after the milters' changes, keeping each survivor's DSN parameters. */
    static List<QueuedRecipient> recipients(List<QueuedRecipient> before, List<String> after) {
        var out = new ArrayList<QueuedRecipient>();
        for (String a : after) {
            out.add(before.stream().filter(r -> r.address().equalsIgnoreCase(a)).findFirst()
                    .orElseGet(() -> new QueuedRecipient(a, null, null, null, null)));
        }
        return out;
    }
}
