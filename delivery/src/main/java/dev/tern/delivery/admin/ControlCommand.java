package dev.tern.delivery.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * An operator command on {@code tern.control}: JSON {@code {"command":"suspend","destination":"example.com"}}.
 * Commands are state, not events (the last suspend/resume for a destination wins), so replaying the
 * topic from its beginning rebuilds the current state on a pod that starts later.
 *
 * @param command     {@code suspend} or {@code resume}
 * @param destination a recipient domain (MX delivery) or a route's transport, e.g. {@code smtp://relay:25}
 * @param issuedAt    epoch milliseconds, for the audit trail
 */
public record ControlCommand(String command, String destination, long issuedAt) {

    public static final String SUSPEND = "suspend";
    public static final String RESUME = "resume";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ControlCommand {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        command = command.toLowerCase(Locale.ROOT);
        if (!command.equals(SUSPEND) && !command.equals(RESUME)) {
            throw new IllegalArgumentException("unknown control command '" + command + "'");
        }
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

    public void applyTo(Suspensions suspensions) {
        if (command.equals(SUSPEND)) {
            suspensions.suspend(destination);
        } else {
            suspensions.resume(destination);
        }
    }
}
