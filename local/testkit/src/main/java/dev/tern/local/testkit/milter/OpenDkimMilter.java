package dev.tern.local.testkit.milter;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenDKIM (Debian's {@code opendkim}) as a real milter daemon in verify mode on a free loopback
 * port: the lightest milter there is to start (well under a second, against tens of seconds for
 * rspamd or clamd), for tests that need any milter conversation rather than a scanner's verdict.
 * It accepts every message, adding its {@code Authentication-Results} where a message is signed;
 * unsigned mail needs no DNS. Close it to stop it.
 */
public final class OpenDkimMilter implements AutoCloseable {

    private final ScannerDaemon daemon;
    private final int port;

    private OpenDkimMilter(ScannerDaemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    /** Starts it with its configuration, pid file and log in {@code dir}, which the caller owns. */
    public static OpenDkimMilter start(Path dir) {
        Path binary = DebianTools.ensure("opendkim", "opendkim");
        try {
            Files.createDirectories(dir);
            int port = FreePorts.pick();
            Files.writeString(dir.resolve("opendkim.conf"), String.join("\n",
                    "Socket inet:" + port + "@127.0.0.1", "Mode v", "Background no", "Syslog no",
                    "PidFile " + dir.resolve("opendkim.pid"), "UserID " + System.getProperty("user.name"), ""));
            var daemon = ScannerDaemon.start("opendkim", binary,
                    List.of("-f", "-x", dir.resolve("opendkim.conf").toString()), dir);
            daemon.awaitPort(port);
            return new OpenDkimMilter(daemon, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The milter's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    public String log() {
        return daemon.log();
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
