package dev.tern.ingress.session;

import java.security.SecureRandom;

/**
 * Queue ids: 26 characters of Crockford base32, 48 bits of milliseconds then 80 random bits (the
 * ULID layout). Unique across pods without coordination, sortable by arrival time, safe in
 * headers and file names. Thread-safe.
 */
public final class QueueIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueIds() {
    }

    public static String next() {
        return format(System.currentTimeMillis(), RANDOM.nextLong(), RANDOM.nextInt(1 << 16));
    }

    static String format(long millis, long random64, int random16) {
        char[] out = new char[26];
        // 48-bit time in 10 chars (50 bits, top two zero).
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits in 16 chars: 64 + 16.
        long lo = random64;
        int hi = random16 & 0xffff;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((long) (hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}
