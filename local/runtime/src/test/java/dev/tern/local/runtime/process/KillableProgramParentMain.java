package dev.tern.local.runtime.process;

import java.nio.file.Path;

/**
 * Stand-in for the launcher in {@link ProgramChildIT}: starts {@code sleep} as a
 * {@linkplain ChildProcess#program program child}, prints the pid of the sleep itself, then waits to be killed.
 */
public final class KillableProgramParentMain {

    private KillableProgramParentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ChildProcess child = ChildProcess.program("sleeper", Path.of("/bin/sleep")).args("3600")
                .workDir(Path.of(args[0])).start();
        ProcessHandle sleep = ProgramChildIT.awaitProgram(child);
        System.out.println("PROGRAM_PID=" + sleep.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
