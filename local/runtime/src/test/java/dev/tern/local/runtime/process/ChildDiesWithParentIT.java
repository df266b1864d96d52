package dev.tern.local.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildDiesWithParentIT {

    @TempDir
    Path dir;

    @Test
    void brokerExitsWithinSecondsWhenItsParentIsKilledWithSigkill() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                KillableParentMain.class.getName(), dir.resolve("kafka").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        ProcessHandle broker = null;
        try {
            long brokerPid = readBrokerPid(parent);
            broker = ProcessHandle.of(brokerPid).orElseThrow();
            assertThat(broker.isAlive()).isTrue();
            assertThat(broker.parent().map(ProcessHandle::pid)).contains(parent.pid());

            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(broker.onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).get())
                    .as("broker %d still alive 15 s after its parent was killed", brokerPid)
                    .isNotNull();
            assertThat(broker.isAlive()).isFalse();
        } finally {
            parent.destroyForcibly();
            if (broker != null) {
                broker.destroyForcibly();
            }
        }
    }

    private static long readBrokerPid(Process parent) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            if (line.startsWith("BROKER_PID=")) {
                return Long.parseLong(line.substring("BROKER_PID=".length()).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("parent never reported a broker pid; output:\n" + seen + Optional.empty().map(Object::toString).orElse(""));
    }
}
