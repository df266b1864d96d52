package dev.tern.local.testkit.tools;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian daemon run for a test (knotd, smtp-sink) so that it dies with the test JVM, even on
 * {@code kill -9}: a shell starts it, then waits on its stdin, our end of a pipe; when the pipe
 * closes (we stop it, or the JVM is gone) the shell kills the daemon.
 */
public final class StdinTiedProcess {

    private StdinTiedProcess() {
    }

    /** The command that runs {@code binary} with {@code args} tied to the shell's stdin. */
    public static List<String> command(String binary, List<String> args) {
        var command = new ArrayList<>(List.of("sh", "-c", "\"$0\" \"$@\" & k=$!; cat >/dev/null; kill $k; wait $k",
                binary));
        command.addAll(args);
        return command;
    }

    /** Closes the pipe, waits (bounded) for the daemon to go, and kills what is left. */
    public static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
