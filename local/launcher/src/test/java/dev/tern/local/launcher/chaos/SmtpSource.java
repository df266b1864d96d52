package dev.tern.local.launcher.chaos;

import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Postfix's {@code smtp-source} as background load beside a case's own client, to the second
 * ingress (127.0.0.2, which no case kills, so its sessions see the cluster's Kafka and Infinispan
 * faults). {@code -N} makes every recipient unique ({@code <seq>bg-<case>@remote.test}), so the
 * sink can count its messages; smtp-source does not report which of them were answered 250, so
 * they are counted as sent and delivered only, outside the table's exact columns.
 * {@code -Dtern.chaos.background=N} sets the messages per case (default 100; 0 turns it off).
 */
final class SmtpSource {

    static final int MESSAGES = Integer.getInteger("tern.chaos.background", 100);

    private final Process process;
    private final Path log;

    private SmtpSource(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts smtp-source against {@code address:port} (the second ingress on the HA cluster). */
    static SmtpSource start(String caseName, String address, int port) {
        if (MESSAGES <= 0) {
            return new SmtpSource(null, null);
        }
        try {
            Path log = Files.createTempFile("chaos-smtp-source-", ".log");
            Path tool = DebianTools.ensure("smtp-source", "postfix");
            Process p = new ProcessBuilder(List.of(tool.toString(), "-s", "2", "-m", String.valueOf(MESSAGES), "-N",
                    "-f", "bg@sender.test", "-t", "bg-" + caseName + "@remote.test",
                    address + ":" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new SmtpSource(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for smtp-source to end, kills it if it has not; its exit code and last output line. */
    String finish() throws InterruptedException {
        if (process == null) {
            return "no smtp-source";
        }
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return "smtp-source killed after 2 min";
            }
            List<String> out = Files.readAllLines(log);
            return "smtp-source exit " + process.exitValue()
                    + (out.isEmpty() || process.exitValue() == 0 ? "" : " (" + out.get(out.size() - 1).strip() + ")");
        } catch (IOException e) {
            return "smtp-source log unreadable: " + e.getMessage();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // A leftover log in /tmp is untidy, not wrong.
            }
        }
    }
}
