package dev.tern.delivery.retry;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.queue.QueuedMessage;
import java.util.List;

/**
 * Everything one attempt of one record must make durable before its offset may be committed.
 *
 * @param events     one {@code tern.events} record per recipient of the attempt
 * @param retry      the message with only its deferred recipients, or null when none is deferred
 * @param retryTopic the tier {@code retry} goes to, or null
 * @param failed     the message with its bounced and expired recipients for {@code tern.failed}
 *                   (each with its last reply), or null when there are none or the sender is {@code <>}
 */
public record Disposition(List<DeliveryEvent> events, QueuedMessage retry, String retryTopic, QueuedMessage failed) {

    public Disposition {
        events = List.copyOf(events);
    }
}
