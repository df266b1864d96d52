package dev.tern.common.queue;

/** A Kafka record that does not carry a valid Tern envelope (see {@link RecordCodec}). */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
