package dev.tern.ingress.proxy;

import dev.tern.smtp.reply.Reply;

/** The replies the proxy makes itself rather than passing the upstream's on. */
final class ProxyReplies {

    /** RFC 3463 4.4.1, no answer from host: nothing was queued, the client must retry. */
    static final Reply UNAVAILABLE = Reply.of(451, "4.4.1", "Upstream unavailable, try again later");

    /** A content check failed to decide: like the normal listener's local error. */
    static final Reply CHECK_FAILED = Reply.of(451, "4.3.0", "Error: content check failed, try again later");

    /** RFC 6531 §3.4: the upstream cannot take an SMTPUTF8 transaction. */
    static final Reply SMTPUTF8_UNSUPPORTED = Reply.of(553, "5.6.7",
            "SMTPUTF8 is not supported by the upstream server");

    private ProxyReplies() {
    }
}
