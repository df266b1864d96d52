package dev.tern.local.testkit.milter;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.StdinTiedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One scanner daemon (rspamd, clamd, clamav-milter) run in the foreground as this JVM's child,
 * tied to it so it dies with the test even on {@code kill -9}, its output in a log file of its
 * private directory.
 */
final class ScannerDaemon {

    /** A busy 2-core machine loads rspamd's rules in tens of seconds. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final Process process;
    private final Path log;

    private ScannerDaemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ScannerDaemon start(String name, Path binary, List<String> args, Path dir) {
        try {
            Path log = dir.resolve(name + ".log");
            Process p = new ProcessBuilder(StdinTiedProcess.command(binary.toString(), args))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ScannerDaemon(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code ready} holds, failing with the daemon's log when it exits or takes too long. */
    void await(BooleanSupplier ready, String what) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String out = log();
                stop();
                throw new IllegalStateException(name + " did not become ready (" + what + "):\n" + out);
            }
            try {
                // Polling a port or a socket file: there is no event to wait on.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    void awaitPort(int port) {
        await(() -> FreePorts.isListening(port), "port " + port);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Freezes the daemon and its workers (SIGSTOP): connections stay open, nothing is answered. */
    void freeze() {
        signal("-STOP");
    }

    /** Kills the daemon and its workers at once (SIGKILL), as a crash would. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private void signal(String signal) {
        for (ProcessHandle h : process.descendants().toList()) {
            try {
                new ProcessBuilder("kill", signal, Long.toString(h.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        signal("-CONT");
        StdinTiedProcess.stop(process);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
