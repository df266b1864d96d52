package dev.tern.local.testkit.smtp;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.StdinTiedProcess;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Postfix's {@code smtp-sink} (package {@code postfix}, installed when missing) listening on
 * 127.0.0.1 at a free port: an independent SMTP or LMTP server for tests that must not only pass
 * against Tern's own {@link SmtpSink}. Its replies are Postfix's own (multi-line EHLO, enhanced
 * status codes); {@link Builder#hardRejectRecipients} and {@link Builder#softRejectRecipients}
 * make it refuse every RCPT with the given reply.
 *
 * <p>smtp-sink runs under {@code sh}, which kills it when this JVM's end of its stdin pipe closes,
 * so it dies with the test JVM even on {@code kill -9}; {@link #close()} stops it at once.
 */
public final class PostfixSmtpSink implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PostfixSmtpSink(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return FreePorts.LOOPBACK;
    }

    @Override
    public void close() {
        StdinTiedProcess.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover log in the temporary directory is harmless.
        }
    }

    /** Options of the smtp-sink to start. */
    public static final class Builder {
        private final List<String> options = new ArrayList<>();

        private Builder() {
        }

        /** Speak LMTP (smtp-sink {@code -L}). */
        public Builder lmtp() {
            options.add("-L");
            return this;
        }

        /** Refuse every RCPT with {@code reply}, a 5xx (smtp-sink {@code -f RCPT -B reply}). */
        public Builder hardRejectRecipients(String reply) {
            options.addAll(List.of("-f", "RCPT", "-B", reply));
            return this;
        }

        /** Refuse every RCPT with {@code reply}, a 4xx (smtp-sink {@code -r RCPT -b reply}). */
        public Builder softRejectRecipients(String reply) {
            options.addAll(List.of("-r", "RCPT", "-b", reply));
            return this;
        }

        /** Starts smtp-sink and returns once it accepts connections. */
        public PostfixSmtpSink start() {
            String binary = DebianTools.postfixTool("smtp-sink").toString();
            int port = FreePorts.pick();
            List<String> args = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // smtp-sink refuses to keep root privileges after opening its socket.
                args.addAll(List.of("-u", "nobody"));
            }
            args.addAll(options);
            args.addAll(List.of(FreePorts.LOOPBACK + ":" + port, "16"));
            List<String> command = StdinTiedProcess.command(binary, args);
            try {
                // To a file, not a pipe nobody reads: a full pipe would block smtp-sink mid-test.
                Path log = Files.createTempFile("tern-smtp-sink-", ".log");
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                var sink = new PostfixSmtpSink(process, port, log);
                sink.awaitListening();
                return sink;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
        }
    }

    /** Probes the port until smtp-sink answers, waiting on the process between probes so an early exit is seen at once. */
    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!FreePorts.isListening(port)) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                    String output = output();
                    close();
                    throw new IllegalStateException("smtp-sink did not start on port " + port + ": " + output);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting smtp-sink", e);
        }
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
