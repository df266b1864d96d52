package dev.tern.local.runtime.process;

import java.nio.file.Path;

import dev.tern.local.runtime.kafka.KafkaBroker;

/**
 * Stand-in for the launcher in {@link ChildDiesWithParentIT}: starts a broker, prints its pid,
 * then waits to be killed.
 */
public final class KillableParentMain {

    private KillableParentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]));
        System.out.println("BROKER_PID=" + broker.process().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
