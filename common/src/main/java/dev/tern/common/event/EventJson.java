package dev.tern.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of {@code tern.events} records: one mapper for every kind, so all are written the same
 * way and all readers ignore unknown keys (fields can be added without a flag day).
 */
final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventJson() {
    }

    static byte[] write(Object event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        }
    }

    /** @param what the kind of event, for the message when {@code json} is not one */
    static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not " + what + ": " + e.getMessage(), e);
        }
    }
}
