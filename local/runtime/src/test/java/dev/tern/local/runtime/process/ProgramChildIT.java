package dev.tern.local.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A native program started by {@link ChildProcess#program} goes on {@code stop()} and when its parent JVM is killed. */
class ProgramChildIT {

    @TempDir
    Path dir;

    @Test
    void stopEndsTheProgram() throws Exception {
        ChildProcess child = ChildProcess.program("sleeper", Path.of("/bin/sleep")).args("3600").workDir(dir).start();
        ProcessHandle sleep = awaitProgram(child);

        child.stop();

        assertThat(sleep.onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).get()).isNotNull();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void programExitsWhenItsParentIsKilledWithSigkill() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                KillableProgramParentMain.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        ProcessHandle sleep = null;
        try {
            var out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PROGRAM_PID=")) {
                // start-up output
            }
            assertThat(line).as("parent reported the program's pid").isNotNull();
            sleep = ProcessHandle.of(Long.parseLong(line.substring("PROGRAM_PID=".length()).trim())).orElseThrow();

            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(sleep.onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).get())
                    .as("program still alive 15 s after its parent was killed").isNotNull();
        } finally {
            parent.destroyForcibly();
            if (sleep != null) {
                sleep.destroyForcibly();
            }
        }
    }

    /** The program itself: the child of the tying shell, once the shell has started it. */
    static ProcessHandle awaitProgram(ChildProcess child) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var program = child.handle().children()
                    .filter(h -> h.info().command().map(c -> c.endsWith("sleep")).orElse(false)).findFirst();
            if (program.isPresent()) {
                return program.get();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new AssertionError("sleep did not start under " + child);
    }
}
