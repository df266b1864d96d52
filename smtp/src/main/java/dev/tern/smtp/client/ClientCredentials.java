package dev.tern.smtp.client;

import java.util.Objects;

/**
 * The user name and password a client authenticates with (RFC 4954), e.g. to a smarthost.
 *
 * <p>{@link #toString()} never shows the password, so a config, a pool key or a log line that
 * prints this record cannot leak it. Neither part may contain NUL, the field separator of the
 * PLAIN mechanism (RFC 4616 §2); the user name may not be empty. Immutable.
 */
public record ClientCredentials(String username, String password) {

    public ClientCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        if (username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("user name and password must not contain NUL");
        }
    }

    @Override
    public String toString() {
        return "ClientCredentials[username=" + username + ", password=(hidden)]";
    }
}
