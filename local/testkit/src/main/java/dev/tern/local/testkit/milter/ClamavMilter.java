package dev.tern.local.testkit.milter;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tools.DebianTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private clamd and clamav-milter (Debian's packages) that reject infected mail. The virus
 * database cannot be downloaded here, so the only database is one this fixture writes: an
 * {@code .hdb} with the EICAR test file's MD5 and size, named {@link #SIGNATURE}; a rejection names it
 * ({@code RejectMsg Virus found: %v}). clamd listens on
 * a socket in the private directory, the milter on a free loopback port. Close it to stop both.
 */
public final class ClamavMilter implements AutoCloseable {

    public static final String SIGNATURE = "Tern-Test-EICAR";
    /** The EICAR anti-virus test file (68 bytes), which every scanner detects and which is harmless. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final ScannerDaemon clamd;
    private final ScannerDaemon milter;
    private final int port;

    private ClamavMilter(ScannerDaemon clamd, ScannerDaemon milter, int port) {
        this.clamd = clamd;
        this.milter = milter;
        this.port = port;
    }

    public static ClamavMilter start() {
        Path clamdBinary = DebianTools.ensure("clamd", "clamav-daemon");
        Path milterBinary = DebianTools.ensure("clamav-milter", "clamav-milter");
        try {
            Path dir = Files.createTempDirectory("tern-clamav-");
            Files.createDirectories(dir.resolve("db"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("db/tern.hdb"), "44d88612fea8a8f36de82e1278abb02f:68:" + SIGNATURE + "\n");
            Path socket = dir.resolve("clamd.sock");
            Files.writeString(dir.resolve("clamd.conf"), "LocalSocket " + socket + "\nDatabaseDirectory "
                    + dir.resolve("db") + "\nTemporaryDirectory " + dir.resolve("tmp") + "\nPidFile "
                    + dir.resolve("clamd.pid") + "\nForeground yes\n");
            int port = FreePorts.pick();
            Files.writeString(dir.resolve("milter.conf"), "MilterSocket inet:" + port + "@127.0.0.1\nClamdSocket unix:"
                    + socket + "\nForeground yes\nOnClean Accept\nOnInfected Reject\nRejectMsg Virus found: %v\nOnFail Defer\n"
                    + "AddHeader Replace\n"
                    + "PidFile " + dir.resolve("milter.pid") + "\nTemporaryDirectory " + dir.resolve("tmp") + "\n");
            var clamd = ScannerDaemon.start("clamd", clamdBinary, List.of("-c", dir.resolve("clamd.conf").toString()),
                    dir);
            clamd.await(() -> Files.exists(socket), "socket " + socket);
            var milter = ScannerDaemon.start("clamav-milter", milterBinary,
                    List.of("-c", dir.resolve("milter.conf").toString()), dir);
            try {
                milter.awaitPort(port);
            } catch (RuntimeException e) {
                clamd.stop();
                throw e;
            }
            return new ClamavMilter(clamd, milter, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** clamav-milter's port on 127.0.0.1. */
    public int milterPort() {
        return port;
    }

    public String log() {
        return clamd.log() + milter.log();
    }

    /** clamav-milter stops answering (SIGSTOP), connections left open. */
    public void freeze() {
        milter.freeze();
    }

    /** clamav-milter dies at once (SIGKILL), as in a crash; clamd lives on. */
    public void kill() {
        milter.kill();
    }

    @Override
    public void close() {
        milter.stop();
        clamd.stop();
    }
}
