package dev.tern.local.runtime.process;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** Starting the members of a local multi-node cluster (a Kafka quorum, an Infinispan pair). */
public final class ClusterMembers {

    private ClusterMembers() {
    }

    /**
     * Launches members {@code 1..count} one after the other, then waits for each to be ready: all
     * are launched before any wait, because none can be ready before enough others run (a quorum's
     * majority, a cluster view of all members). If a launch or a wait fails, every member launched
     * is stopped and the failure rethrown, so a failed start leaves no process behind.
     *
     * @return the members in order, member {@code n} at index {@code n - 1}
     */
    public static <T> List<T> launchAll(int count, IntFunction<T> launch, Consumer<T> awaitReady, Consumer<T> stop) {
        List<T> members = new ArrayList<>();
        try {
            for (int n = 1; n <= count; n++) {
                members.add(launch.apply(n));
            }
            for (T member : members) {
                awaitReady.accept(member);
            }
        } catch (RuntimeException e) {
            members.forEach(stop);
            throw e;
        }
        return members;
    }
}
