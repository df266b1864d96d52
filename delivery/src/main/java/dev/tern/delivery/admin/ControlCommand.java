package dev.tern.delivery.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An operator command on {@code tern.control}: JSON such as
 * {@code {"command":"suspend","destination":"example.com"}} or
 * {@code {"command":"bounce","destination":"example.com","reason":"domain closed","until":1767225600000}}.
 * Commands are state, not events (the last command of each kind for a destination wins, and a
 * bounce order ends by itself at {@code until}), so replaying the topic from its beginning
 * rebuilds the current state on a pod that starts later; the topic is compacted by
 * {@link #stateKey()}, so that state is kept however old it is.
 *
 * @param command     {@code suspend}, {@code resume}, {@code bounce} or {@code bounce-cancel}
 * @param destination a recipient domain (MX delivery) or a route's transport, e.g. {@code smtp://relay:25}
 * @param issuedAt    epoch milliseconds, for the audit trail
 * @param reason      for {@code bounce}: the text its DSNs carry
 * @param until       for {@code bounce}: epoch milliseconds when the order ends
 */
public record ControlCommand(String command, String destination, long issuedAt, String reason, long until) {

    public static final String SUSPEND = "suspend";
    public static final String RESUME = "resume";
    public static final String BOUNCE = "bounce";
    public static final String BOUNCE_CANCEL = "bounce-cancel";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ControlCommand {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        command = command.toLowerCase(Locale.ROOT);
        if (!Set.of(SUSPEND, RESUME, BOUNCE, BOUNCE_CANCEL).contains(command)) {
            throw new IllegalArgumentException("unknown control command '" + command + "'");
        }
        if (command.equals(BOUNCE) && until <= 0) {
            throw new IllegalArgumentException("a bounce command needs 'until' (epoch milliseconds)");
        }
        reason = reason == null ? "" : reason;
    }

    /** A suspend, resume or bounce-cancel command. */
    public ControlCommand(String command, String destination, long issuedAt) {
        this(command, destination, issuedAt, "", 0);
    }

    /**
     * The record key on the compacted {@code tern.control}: one per kind of order and destination,
     * so the latest suspend/resume and the latest bounce/bounce-cancel of a destination both stay.
     */
    public String stateKey() {
        String kind = command.equals(SUSPEND) || command.equals(RESUME) ? "suspend " : "bounce ";
        return kind + destination.trim().toLowerCase(Locale.ROOT);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ControlCommand fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, ControlCommand.class);
    }

    public void applyTo(OperatorControls controls) {
        switch (command) {
            case SUSPEND -> controls.suspend(destination);
            case RESUME -> controls.resume(destination);
            case BOUNCE -> controls.bounce(destination, reason, Instant.ofEpochMilli(until));
            default -> controls.cancelBounce(destination);
        }
    }
}
