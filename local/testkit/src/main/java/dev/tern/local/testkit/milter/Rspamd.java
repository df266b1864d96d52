package dev.tern.local.testkit.milter;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private rspamd (Debian's package, its stock rules) whose proxy worker speaks the milter
 * protocol ({@code milter = yes}) on a free loopback port and scans with its own normal worker.
 * No redis: the modules that need it switch themselves off. DNS goes to a dead loopback port and
 * the fuzzy check is off, so nothing leaves the machine. Adds the extended spam headers
 * ({@code X-Spamd-Result}, ...) to the mail it passes; greylisting is off, and a test rule scores
 * {@link #SCORE_MARKER} subjects. Close it to stop it.
 */
public final class Rspamd implements AutoCloseable {

    /** A Subject containing this scores 8 (rule TERN_TEST_MARK): above add-header (6), below reject (15). */
    public static final String SCORE_MARKER = "TERN-SCORE-EIGHT";

    private final ScannerDaemon daemon;
    private final int milterPort;

    private Rspamd(ScannerDaemon daemon, int milterPort) {
        this.daemon = daemon;
        this.milterPort = milterPort;
    }

    public static Rspamd start() {
        Path rspamd = DebianTools.ensure("rspamd", "rspamd");
        try {
            Path dir = Files.createTempDirectory("tern-rspamd-");
            Path local = dir.resolve("local");
            Files.createDirectories(local.resolve("local.d"));
            Files.createDirectories(local.resolve("override.d"));
            for (String d : List.of("run", "db", "log")) {
                Files.createDirectories(dir.resolve(d));
            }
            int milter = FreePorts.pick();
            int normal = FreePorts.pick();
            int controller = FreePorts.pick();
            write(local.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:" + normal
                    + "\";\ncount = 1;\ntask_timeout = 60s;\n");
            write(local.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:" + controller
                    + "\";\ncount = 1;\n");
            write(local.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:" + milter + "\";\n"
                    + "milter = yes;\ntimeout = 120s;\ncount = 1;\nmax_retries = 5;\n"
                    + "upstream \"local\" {\n  default = yes;\n  self_scan = no;\n  hosts = \"127.0.0.1:" + normal
                    + "\";\n}\nspam_header = \"X-Spam\";\nreject_message = \"Spam message rejected\";\n");
            write(local.resolve("local.d/options.inc"),
                    "dns { nameserver = [\"127.0.0.1:1\"]; timeout = 1s; retransmits = 1; }\n");
            write(local.resolve("override.d/logging.inc"), "type = \"console\";\nlevel = \"notice\";\n");
            write(local.resolve("local.d/fuzzy_check.conf"), "enabled = false;\n");
            write(local.resolve("local.d/milter_headers.conf"), "extended_spam_headers = true;\n"
                    + "skip_local = false;\nskip_authenticated = false;\n");
            // No greylisting: a test's mail is either clean, marked, or rejected (GTUBE).
            write(local.resolve("local.d/actions.conf"), "greylist = null;\n");
            write(local.resolve("rspamd.local.lua"), "rspamd_config.TERN_TEST_MARK = {\n"
                    + "  callback = function(task)\n"
                    + "    local s = task:get_header('Subject')\n"
                    + "    return s ~= nil and s:find('" + SCORE_MARKER + "', 1, true) ~= nil\n"
                    + "  end,\n  score = 8.0,\n  description = 'Tern test marker',\n}\n");
            var daemon = ScannerDaemon.start("rspamd", rspamd, List.of("-f", "-i", "-u", "root", "-g", "root",
                    "-c", "/etc/rspamd/rspamd.conf", "--var", "LOCAL_CONFDIR=" + local, "--var",
                    "RUNDIR=" + dir.resolve("run"), "--var", "DBDIR=" + dir.resolve("db"), "--var",
                    "LOGDIR=" + dir.resolve("log")), dir);
            daemon.awaitPort(normal);
            daemon.awaitPort(milter);
            return new Rspamd(daemon, milter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    /** The proxy worker's milter port on 127.0.0.1. */
    public int milterPort() {
        return milterPort;
    }

    public String log() {
        return daemon.log();
    }

    /** Stops answering (SIGSTOP), connections left open. */
    public void freeze() {
        daemon.freeze();
    }

    /** Dies at once (SIGKILL), as in a crash. */
    public void kill() {
        daemon.kill();
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
