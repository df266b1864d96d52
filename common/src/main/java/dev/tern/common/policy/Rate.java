package dev.tern.common.policy;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A message rate such as {@code 50/s}, {@code 300/m}, {@code 10000/h}: {@code count} messages per
 * {@code period}. {@link #emissionInterval()} is the GCRA spacing between two messages.
 */
public record Rate(long count, Duration period) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");

    public Rate {
        if (count <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
    }

    public static Rate parse(String text) {
        var m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (use e.g. 50/s, 300/m, 10000/h)");
        }
        Duration period = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(1);
            case 'm' -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        long count = Long.parseLong(m.group(1));
        if (count == 0) {
            throw new IllegalArgumentException("'" + text + "' is zero; suspend the destination instead");
        }
        return new Rate(count, period);
    }

    public double perSecond() {
        return count * 1_000_000_000.0 / period.toNanos();
    }

    public Duration emissionInterval() {
        return period.dividedBy(count);
    }

    @Override
    public String toString() {
        String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "m" : "h";
        return count + "/" + unit;
    }
}
