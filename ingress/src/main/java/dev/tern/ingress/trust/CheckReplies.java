package dev.tern.ingress.trust;

import dev.tern.common.policy.CheckAction;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.reply.Reply;

/**
 * The replies of the inbound checks. SPF uses the enhanced codes RFC 7372 registered for it
 * (X.7.23 validation failed, X.7.24 validation error); DMARC and the sender-login match use
 * 5.7.1 (delivery not authorized), as receivers commonly do and RFC 7489 §6.7 allows.
 */
public final class CheckReplies {

    private CheckReplies() {
    }

    /** The refusal SPF's verdict earns under {@code action}, or null to accept. */
    public static Reply spf(SpfVerdict v, CheckAction action, String client) {
        if (action == CheckAction.ACCEPT || action == CheckAction.QUARANTINE) {
            return null;
        }
        boolean error = v.result() == SpfResult.TEMPERROR || v.result() == SpfResult.PERMERROR;
        String text;
        if (error) {
            text = "SPF " + v.result().keyword() + " for " + v.domain()
                    + (v.problem() == null ? "" : ": " + v.problem());
        } else {
            text = v.explanation() != null ? "SPF " + v.result().keyword() + ": " + v.explanation()
                    : "SPF " + v.result().keyword() + ": " + v.domain() + " does not designate " + client
                            + " as permitted sender";
        }
        String detail = error ? "7.24" : "7.23";
        return action == CheckAction.DEFER ? Reply.of(451, "4." + detail, text) : Reply.of(550, "5." + detail, text);
    }

    /** A message refused or deferred by a check that runs after the final dot (DMARC, Sender ID). */
    public static Reply afterData(CheckAction action, String text) {
        return action == CheckAction.DEFER ? Reply.of(451, "4.7.1", text) : Reply.of(550, "5.7.1", text);
    }

    /** MAIL FROM or From outside what the authenticated user may send as. */
    public static Reply notOwned(String address, String user) {
        return Reply.of(553, "5.7.1", "<" + address + ">: Sender address rejected: not owned by user " + user);
    }
}
