package dev.tern.local.launcher;

/** The local cluster cannot start; the message is one line meant for the person at the terminal. */
public class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
