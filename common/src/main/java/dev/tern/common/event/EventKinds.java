package dev.tern.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Tells the kinds of {@code tern.events} records apart before decoding them. A
 * {@link DeliveryEvent} has no {@code kind}; every other record names its kind
 * ({@link AdminAuditEvent#KIND}, {@link AcceptedEvent#KIND}, ...). Readers decode only the kinds
 * they know and skip the rest, so a new kind never breaks an old reader.
 */
public final class EventKinds {

    /** What {@link #of} answers for a record without {@code kind}: a delivery event. */
    public static final String DELIVERY = "delivery";

    private static final JsonFactory JSON = new JsonFactory();

    private EventKinds() {
    }

    /**
     * The record's {@code kind}: {@link #DELIVERY} when it has none, null when it is not a JSON
     * object at all. Reads only the top-level keys, without building a tree.
     */
    public static String of(byte[] json) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("kind".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return DELIVERY;
        } catch (IOException e) {
            return null;
        }
    }

    /** True when the record is a {@link DeliveryEvent} (JSON object without {@code kind}). */
    public static boolean isDelivery(byte[] json) {
        return DELIVERY.equals(of(json));
    }
}
