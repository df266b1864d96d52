package dev.tern.bounce.publish;

import dev.tern.common.queue.QueuedMessage;

/**
 * Told about every notice once Kafka has acknowledged it, so the message trace can show the DSN
 * sent about a message (docs/ARCHITECTURE.md, "Message trace and ternctl"). Best effort: it must
 * not throw, and the notice's input is committed whether or not it recorded anything.
 */
@FunctionalInterface
public interface NoticeTrace {

    /** Records nothing. */
    NoticeTrace NONE = (about, notice, action) -> {
    };

    /**
     * @param about  the message the notice reports on (its queue id is the original one)
     * @param notice the notice as published
     * @param action {@code failed} or {@code delayed}
     */
    void published(QueuedMessage about, QueuedMessage notice, String action);
}
