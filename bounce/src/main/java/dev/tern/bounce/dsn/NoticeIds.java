package dev.tern.bounce.dsn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Queue ids for notices, in the layout ingress uses (26 characters of Crockford base32: 48 bits of
 * milliseconds, then 80 bits), but with the 80 bits taken from a SHA-256 of a seed that names what
 * the notice is about, instead of from a random source.
 *
 * <p>Why deterministic: when a bounce pod dies after publishing a notice but before committing its
 * input offset, the record is read again and the notice published again. The copy has the same
 * queue id, so the delivery journal (recipients already accepted, per queue id) stops it once the
 * first copy is delivered — the "at most one duplicate" (docs/ARCHITECTURE.md, Durability rules) usually becomes none.
 * Pure and thread-safe.
 */
public final class NoticeIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private NoticeIds() {
    }

    /** The id for a notice about {@code seed}, time part {@code time}. */
    public static String of(Instant time, String seed) {
        byte[] hash = sha256(seed);
        char[] out = new char[26];
        long millis = time.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 16 characters of 5 bits each = the first 80 bits of the hash.
        int bit = 0;
        for (int i = 10; i < 26; i++, bit += 5) {
            int value = 0;
            for (int b = 0; b < 5; b++) {
                int index = bit + b;
                value = (value << 1) | ((hash[index >> 3] >> (7 - (index & 7))) & 1);
            }
            out[i] = ALPHABET[value];
        }
        return new String(out);
    }

    private static byte[] sha256(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
