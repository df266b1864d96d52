package dev.tern.delivery.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.common.policy.Transport;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
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
 * <p>Queue actions (docs/ARCHITECTURE.md, "Queue actions") add:
 * <ul>
 *   <li>{@code reroute} a destination {@code via} another transport ({@code mx} undoes it);</li>
 *   <li>{@code hold} and {@code release} one message by queue {@code id};</li>
 *   <li>{@code purge} the mail received up to {@code issuedAt} that matches one of
 *       {@code destination}, {@code sender}, {@code recipient} or {@code id}, until {@code until};</li>
 *   <li>{@code moved}: the recipients of retry-tier records (as {@code topic/partition/offset=address}) whose
 *       recipients were copied to {@code tern.inbound} by a retry-now or release; pods skip those
 *       recipients when they meet the originals, until {@code until}.</li>
 * </ul>
 *
 * @param command     one of {@link #COMMANDS}
 * @param destination a recipient domain (MX delivery) or a route's transport, e.g. {@code smtp://relay:25};
 *                    for a purge, one of the four selectors (the others null)
 * @param issuedAt    epoch milliseconds, for the audit trail; a purge covers mail received up to it
 * @param reason      for {@code bounce}: the text its DSNs carry
 * @param until       for {@code bounce}, {@code purge} and {@code moved}: epoch milliseconds when the order ends
 * @param via         for {@code reroute}: {@code mx}, {@code smtp://host:port} or {@code lmtp://host:port}
 * @param sender      purge selector: the envelope sender ({@code <>} for the null sender)
 * @param recipient   purge selector: one recipient address
 * @param id          for {@code hold}, {@code release}, and a purge selector: the queue id
 * @param moved       for {@code moved}: the records whose listed recipients now wait on {@code tern.inbound}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlCommand(String command, String destination, long issuedAt, String reason, long until,
        String via, String sender, String recipient, String id, List<String> moved) {

    public static final String SUSPEND = "suspend";
    public static final String RESUME = "resume";
    public static final String BOUNCE = "bounce";
    public static final String BOUNCE_CANCEL = "bounce-cancel";
    public static final String REROUTE = "reroute";
    public static final String HOLD = "hold";
    public static final String RELEASE = "release";
    public static final String PURGE = "purge";
    public static final String MOVED = "moved";
    public static final Set<String> COMMANDS = Set.of(SUSPEND, RESUME, BOUNCE, BOUNCE_CANCEL, REROUTE, HOLD, RELEASE,
            PURGE, MOVED);

    private static final Set<String> PER_DESTINATION = Set.of(SUSPEND, RESUME, BOUNCE, BOUNCE_CANCEL, REROUTE);

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ControlCommand {
        Objects.requireNonNull(command, "command");
        command = command.toLowerCase(Locale.ROOT);
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("unknown control command '" + command + "'");
        }
        destination = blankToNull(destination);
        sender = sender == null ? null : sender.trim();
        recipient = blankToNull(recipient);
        id = blankToNull(id);
        via = blankToNull(via);
        if (PER_DESTINATION.contains(command) && destination == null) {
            throw new IllegalArgumentException("a " + command + " command needs a destination");
        }
        if (command.equals(BOUNCE) && until <= 0) {
            throw new IllegalArgumentException("a bounce command needs 'until' (epoch milliseconds)");
        }
        if (command.equals(REROUTE)) {
            if (via == null) {
                throw new IllegalArgumentException("a reroute command needs 'via' (mx, smtp://host:port or lmtp://host:port)");
            }
            Transport t = Transport.parse(via);
            if (t.user() != null) {
                throw new IllegalArgumentException("a reroute cannot authenticate: give the route without a user");
            }
            via = t.toString();
        }
        if ((command.equals(HOLD) || command.equals(RELEASE)) && id == null) {
            throw new IllegalArgumentException("a " + command + " command needs a queue id");
        }
        if (command.equals(PURGE)) {
            long selectors = java.util.stream.Stream.of(destination, sender, recipient, id).filter(Objects::nonNull).count();
            if (selectors != 1) {
                throw new IllegalArgumentException("a purge needs exactly one of destination, sender, recipient or id");
            }
            if (until <= 0) {
                throw new IllegalArgumentException("a purge command needs 'until' (epoch milliseconds)");
            }
        }
        if (command.equals(MOVED) && (moved == null || moved.isEmpty() || until <= 0)) {
            throw new IllegalArgumentException("a moved command needs records and 'until'");
        }
        moved = moved == null ? null : List.copyOf(moved);
        reason = reason == null ? "" : reason;
    }

    /** A suspend, resume or bounce-cancel command. */
    public ControlCommand(String command, String destination, long issuedAt) {
        this(command, destination, issuedAt, "", 0);
    }

    /** A suspend, resume, bounce or bounce-cancel command. */
    public ControlCommand(String command, String destination, long issuedAt, String reason, long until) {
        this(command, destination, issuedAt, reason, until, null, null, null, null, null);
    }

    public static ControlCommand reroute(String destination, String via, long issuedAt) {
        return new ControlCommand(REROUTE, destination, issuedAt, "", 0, via, null, null, null, null);
    }

    /** {@code hold} or {@code release} of the message with queue id {@code id}. */
    public static ControlCommand message(String command, String id, long issuedAt) {
        return new ControlCommand(command, null, issuedAt, "", 0, null, null, null, id, null);
    }

    /** A purge of the mail received up to {@code issuedAt} that {@code selector} matches, in force until {@code until}. */
    public static ControlCommand purge(QueueSelector selector, long issuedAt, long until) {
        String v = selector.value();
        return switch (selector.field()) {
            case DESTINATION -> new ControlCommand(PURGE, v, issuedAt, "", until, null, null, null, null, null);
            case SENDER -> new ControlCommand(PURGE, null, issuedAt, "", until, null, v, null, null, null);
            case RECIPIENT -> new ControlCommand(PURGE, null, issuedAt, "", until, null, null, v, null, null);
            case ID -> new ControlCommand(PURGE, null, issuedAt, "", until, null, null, null, v, null);
        };
    }

    public static ControlCommand moved(List<String> records, long issuedAt, long until) {
        return new ControlCommand(MOVED, null, issuedAt, "", until, null, null, null, null, records);
    }

    /** The purge's selector (only for {@code purge}). */
    public QueueSelector selector() {
        if (destination != null) {
            return new QueueSelector(QueueSelector.Field.DESTINATION, destination);
        }
        if (sender != null) {
            return new QueueSelector(QueueSelector.Field.SENDER, sender);
        }
        if (recipient != null) {
            return new QueueSelector(QueueSelector.Field.RECIPIENT, recipient);
        }
        return new QueueSelector(QueueSelector.Field.ID, id);
    }

    /**
     * The record key on the compacted {@code tern.control}: one per kind of order and destination,
     * so the latest suspend/resume and the latest bounce/bounce-cancel of a destination both stay;
     * one per held message, per purge selector, and per batch of moved records.
     */
    public String stateKey() {
        return switch (command) {
            case SUSPEND, RESUME -> "suspend " + normalize(destination);
            case BOUNCE, BOUNCE_CANCEL -> "bounce " + normalize(destination);
            case REROUTE -> "reroute " + normalize(destination);
            case HOLD, RELEASE -> "hold " + id;
            case PURGE -> "purge " + selector().field().name().toLowerCase(Locale.ROOT) + " " + selector().value();
            // A record is moved at most once (later scans skip it), so its first coordinates name the batch.
            default -> "moved " + moved.get(0);
        };
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
            case BOUNCE_CANCEL -> controls.cancelBounce(destination);
            case REROUTE -> controls.reroute(destination, Transport.parse(via));
            case HOLD -> controls.hold(id);
            case RELEASE -> controls.release(id);
            case PURGE -> controls.purge(stateKey(), selector(), Instant.ofEpochMilli(issuedAt),
                    Instant.ofEpochMilli(until));
            default -> controls.moved(moved, Instant.ofEpochMilli(until));
        }
    }

    /** One line for the log. */
    public String describe() {
        return switch (command) {
            case BOUNCE -> command + " " + destination + " until " + Instant.ofEpochMilli(until) + " (" + reason + ")";
            case REROUTE -> command + " " + destination + " via " + via;
            case HOLD, RELEASE -> command + " " + id;
            case PURGE -> command + " " + selector() + " received up to " + Instant.ofEpochMilli(issuedAt);
            case MOVED -> command + " " + moved.size() + " recipient(s) to tern.inbound";
            default -> command + " " + destination;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String normalize(String d) {
        return d.trim().toLowerCase(Locale.ROOT);
    }
}
