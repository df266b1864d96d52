package dev.tern.smtp.dsn;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * RFC 5322 §3.3 date-time, e.g. {@code Tue, 2 Jan 2024 03:04:05 +0000}: English names, numeric zone
 * (never the obsolete {@code GMT} that {@link DateTimeFormatter#RFC_1123_DATE_TIME} prints).
 */
public final class MailDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    private MailDates() {
    }

    public static String format(Instant instant, ZoneId zone) {
        return FORMAT.format(instant.atZone(zone));
    }
}
