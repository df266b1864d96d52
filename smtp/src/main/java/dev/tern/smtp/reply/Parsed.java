package dev.tern.smtp.reply;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing protocol input: either a value or the {@link Reply} that explains to the
 * peer why the input was refused.
 *
 * <p>Parsers in this library never throw on bad input from the network: a client that sends
 * garbage gets a reply, not a stack trace. Immutable and thread-safe when the value is.
 *
 * @param <T> the parsed value's type
 */
public sealed interface Parsed<T> {

    /** A successful parse. */
    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    /** A refused input, with the reply to send. */
    static <T> Parsed<T> failed(Reply reply) {
        return new Failed<>(reply);
    }

    boolean isOk();

    /** The value; throws {@link IllegalStateException} when this is a failure. */
    T value();

    /** The failure reply; throws {@link IllegalStateException} when this is a success. */
    Reply reply();

    /** Applies {@code mapper} to a success; passes a failure through unchanged. */
    <U> Parsed<U> map(Function<? super T, ? extends U> mapper);

    /** A successful parse. */
    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isOk() {
            return true;
        }

        @Override
        public Reply reply() {
            throw new IllegalStateException("parse succeeded: " + value);
        }

        @Override
        public <U> Parsed<U> map(Function<? super T, ? extends U> mapper) {
            return new Ok<>(mapper.apply(value));
        }
    }

    /** A refused input. */
    record Failed<T>(Reply reply) implements Parsed<T> {
        public Failed {
            Objects.requireNonNull(reply, "reply");
        }

        @Override
        public boolean isOk() {
            return false;
        }

        @Override
        public T value() {
            throw new IllegalStateException("parse failed: " + reply);
        }

        @Override
        public <U> Parsed<U> map(Function<? super T, ? extends U> mapper) {
            return new Failed<>(reply);
        }
    }
}
