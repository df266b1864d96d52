package dev.tern.ingress.trust;

import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.reply.Reply;

/**
 * What the MAIL FROM checks decided.
 *
 * @param refusal the reply refusing the sender, or null to accept
 * @param spf     the SPF verdict, kept for DMARC and Authentication-Results; null when SPF did not run
 */
public record SenderDecision(Reply refusal, SpfVerdict spf) {

    public static final SenderDecision ACCEPT = new SenderDecision(null, null);
}
