package dev.tern.ingress.session;

import dev.tern.common.policy.Relay;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;
import java.net.InetAddress;

/**
 * Decides whether a recipient may be accepted (docs/ARCHITECTURE.md, "Configuration"; Postfix's
 * {@code reject_unauth_destination}): mail for a local domain from anyone; mail elsewhere only
 * from trusted networks or authenticated clients. Pure logic, no I/O.
 *
 * <p>Relay tricks cannot open a relay: the decision looks only at the parsed domain after the
 * last {@code @} (source routes are already dropped by the parser, RFC 5321 Appendix C), and a
 * local-domain recipient whose local part carries routing characters ({@code %}, {@code !},
 * quoted {@code @}) is refused unless the client could relay anyway, because an MTA further in
 * might honour the percent hack and forward it.
 */
public final class RelayControl {

    public static final Reply RELAY_DENIED = Reply.of(554, "5.7.1", "Relay access denied");
    public static final Reply ROUTING_DENIED = Reply.of(550, "5.7.1", "Routing characters in the local part are not allowed");
    public static final Reply ADDRESS_LITERAL_DENIED = Reply.of(550, "5.7.1", "Relay access denied: address literals");

    private RelayControl() {
    }

    /** Null to accept, else the refusal. */
    public static Reply check(ForwardPath recipient, Relay relay, InetAddress client, boolean authenticated) {
        if (recipient.isBarePostmaster()) {
            return null; // RFC 5321 §4.5.1: <Postmaster> must always be accepted.
        }
        Mailbox box = recipient.mailbox().orElseThrow();
        boolean mayRelay = authenticated || relay.isTrusted(client);
        if (mayRelay) {
            return null;
        }
        if (box.isAddressLiteral()) {
            return ADDRESS_LITERAL_DENIED;
        }
        if (!relay.isLocalDomain(box.domain())) {
            return RELAY_DENIED;
        }
        if (box.hasRoutingCharacters()) {
            return ROUTING_DENIED;
        }
        return null;
    }
}
