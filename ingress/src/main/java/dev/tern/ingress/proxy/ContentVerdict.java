package dev.tern.ingress.proxy;

import dev.tern.smtp.reply.Reply;
import java.util.Objects;

/**
 * What a {@link ProxyContentCheck} decided about one message: send it upstream (possibly changed),
 * or refuse it with Tern's own reply, permanent or transient.
 */
public sealed interface ContentVerdict {

    /** Send {@code message} upstream: the received one, or a modified copy (added headers, ...). */
    record Pass(byte[] message) implements ContentVerdict {
        public Pass {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Refuse the message with a 5xx reply; the upstream transaction is reset. */
    record Block(Reply reply) implements ContentVerdict {
        public Block {
            if (!reply.isPermanentFailure()) {
                throw new IllegalArgumentException("a block needs a 5xx reply: " + reply);
            }
        }
    }

    /** Refuse the message for now with a 4xx reply; the upstream transaction is reset. */
    record Tempfail(Reply reply) implements ContentVerdict {
        public Tempfail {
            if (!reply.isTransientFailure()) {
                throw new IllegalArgumentException("a tempfail needs a 4xx reply: " + reply);
            }
        }
    }

    static ContentVerdict pass(byte[] message) {
        return new Pass(message);
    }
}
