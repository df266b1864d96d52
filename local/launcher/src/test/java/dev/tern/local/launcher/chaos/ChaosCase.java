package dev.tern.local.launcher.chaos;

/**
 * One chaos case: a fault injected into the {@code --ha} cluster once a third of its load is
 * accepted. {@code bounces} cases send to mailboxes the remote refuses, so what must not be lost is
 * the delivery status notification of every accepted message.
 *
 * @param name the table's case column and the Message-IDs' tag ({@code [a-z0-9-]+})
 * @param messages the case's load
 * @param sessions parallel SMTP sessions of the load
 */
public record ChaosCase(String name, String description, int messages, int sessions, boolean bounces, Fault fault) {

    /** What the case does to the cluster. */
    @FunctionalInterface
    public interface Fault {
        /**
         * Breaks something now; {@code run} records what must be undone after the load
         * ({@link ChaosRun#recoverWith}) and any check of its own.
         */
        void inject(ChaosRun run) throws Exception;
    }

    public ChaosCase withMessages(int n) {
        return new ChaosCase(name, description, n, sessions, bounces, fault);
    }

    public ChaosCase withSessions(int n) {
        return new ChaosCase(name, description, messages, n, bounces, fault);
    }
}
