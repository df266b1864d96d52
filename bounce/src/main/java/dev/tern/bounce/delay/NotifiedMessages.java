package dev.tern.bounce.delay;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The messages whose sender already had a delay notice, so that several bounce pods, restarts and
 * repeated deferrals of the same message still send one notice per message.
 *
 * <p>Contract: after {@link #remember} completes, {@link #contains} for that id is true until the
 * lifespan passes (at least the maximum queue lifetime: by then the message has been delivered or
 * bounced, and can produce no further retry record). Asynchronous, thread-safe; a failed stage
 * means the backend is unreachable.
 */
public interface NotifiedMessages {

    CompletionStage<Boolean> contains(String messageId);

    CompletionStage<Void> remember(String messageId, Duration lifespan);
}
