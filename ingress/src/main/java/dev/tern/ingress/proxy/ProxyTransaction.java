package dev.tern.ingress.proxy;

import dev.tern.ingress.session.SessionFacts;
import dev.tern.smtp.server.Envelope;

/**
 * One proxied transaction as a content check sees it: who the client is (address, our listener)
 * and the envelope (HELO name, sender and MAIL parameters, the recipients the upstream accepted,
 * TLS). Immutable.
 */
public record ProxyTransaction(SessionFacts client, Envelope envelope) {
}
