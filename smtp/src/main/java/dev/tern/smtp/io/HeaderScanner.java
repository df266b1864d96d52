package dev.tern.smtp.io;

/**
 * Counts {@code Received:} fields in a message's header section (RFC 5322 §2.2, §3.6.7), the
 * hop count used for loop detection (RFC 5321 §6.3).
 *
 * <p>Fed the logical body octet by octet; the header section ends at the first empty line. A
 * field counts when its line starts with {@code Received} (any case) followed by {@code :} or
 * whitespace (the obsolete {@code Received :} form); {@code Received-SPF:} does not count. Keeps
 * nine octets per line at most. Not thread-safe.
 */
final class HeaderScanner {

    private static final byte[] NAME = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};

    private boolean inHeaders = true;
    private int lineLength;
    private boolean lineMatches = true;
    private boolean lineStartsWithCr;
    private int received;

    void accept(byte b) {
        if (!inHeaders) {
            return;
        }
        if (b == '\n') {
            if (lineLength == 0 || (lineLength == 1 && lineStartsWithCr)) {
                inHeaders = false;
            }
            lineLength = 0;
            lineMatches = true;
            lineStartsWithCr = false;
            return;
        }
        if (lineLength == 0) {
            lineStartsWithCr = b == '\r';
        }
        if (lineMatches && lineLength < NAME.length) {
            lineMatches = (b | 0x20) == NAME[lineLength];
        } else if (lineMatches && lineLength == NAME.length) {
            lineMatches = false;
            if (b == ':' || b == ' ' || b == '\t') {
                received++;
            }
        }
        lineLength++;
    }

    int received() {
        return received;
    }
}
