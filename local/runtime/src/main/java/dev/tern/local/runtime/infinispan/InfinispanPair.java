package dev.tern.local.runtime.infinispan;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.ClusterMembers;
import dev.tern.local.runtime.process.RememberedCluster;

/**
 * Two (or more) Infinispan servers on 127.0.0.1 clustered over JGroups ({@link InfinispanClusterConfig}),
 * each an {@link InfinispanServer} child process in {@code <dir>/node-<n>}. Tern's caches are
 * distributed with two owners, so on a pair every entry is on both servers and either may die.
 *
 * <p>{@code <dir>/pair.properties} remembers the cluster name and every member's Hot Rod and
 * JGroups ports, so a restart on the same directory rebuilds the same cluster (Hot Rod ports
 * asked for explicitly win). {@link #start} returns once every member answers Hot Rod and sees
 * a view of all members. Thread-safe.
 */
public final class InfinispanPair implements InfinispanBackend, AutoCloseable {

    private final List<InfinispanServer> members;
    private final List<Integer> jgroupsPorts;
    private final String clusterName;

    private InfinispanPair(List<InfinispanServer> members, List<Integer> jgroupsPorts, String clusterName) {
        this.members = members;
        this.jgroupsPorts = jgroupsPorts;
        this.clusterName = clusterName;
    }

    /** Starts one member per entry of {@code hotRodPorts} (0: remembered, else free), at least two. */
    public static InfinispanPair start(Path dir, List<Integer> hotRodPorts) {
        if (hotRodPorts.size() < 2) {
            throw new IllegalArgumentException("a cluster that survives a member needs at least 2, not "
                    + hotRodPorts.size());
        }
        Path root = dir.toAbsolutePath();
        RememberedCluster remembered = RememberedCluster.load(root, "pair.properties");
        String clusterName = remembered.rememberOrCreate("cluster.name", () -> "tern-local-ha-" + UUID.randomUUID());
        List<Integer> hotRod = remembered.ports("hotrod", hotRodPorts);
        List<Integer> jgroups = remembered.ports("jgroups", hotRodPorts.size());
        remembered.store("cluster name and ports of the local Infinispan pair, reused on restart");
        List<InfinispanServer> members = ClusterMembers.launchAll(hotRod.size(),
                n -> launch(root, n, hotRod.get(n - 1), jgroups, clusterName),
                member -> member.awaitClusterOf(hotRod.size()), InfinispanServer::stop);
        return new InfinispanPair(members, jgroups, clusterName);
    }

    private static InfinispanServer launch(Path root, int n, int hotRodPort, List<Integer> jgroups, String cluster) {
        return InfinispanServer.launchClusterMember(root.resolve("node-" + n), hotRodPort, "tern-" + n, cluster,
                new InfinispanClusterConfig(jgroups.get(n - 1), jgroups));
    }

    /** Every member's Hot Rod address, {@code ;}-separated: the value for {@code tern.infinispan.hosts}. */
    public String hosts() {
        return members().stream().map(InfinispanServer::hosts).collect(Collectors.joining(";"));
    }

    /** Members in order, member {@code n} at index {@code n - 1}; a restart replaces its entry. */
    public synchronized List<InfinispanServer> members() {
        return List.copyOf(members);
    }

    public InfinispanServer member(int n) {
        return members().get(n - 1);
    }

    /** SIGKILL of member {@code n}, as a crashing pod dies. */
    public void kill(int n) {
        member(n).process().kill();
    }

    /** Starts member {@code n} again on its ports and root, and waits until it has rejoined the others. */
    public synchronized void restart(int n) {
        InfinispanServer old = members.get(n - 1);
        old.stop();
        InfinispanServer fresh = launch(old.serverRoot().getParent(), n, old.port(), jgroupsPorts, clusterName);
        members.set(n - 1, fresh);
        fresh.awaitClusterOf(members.size());
    }

    /** Stops every member in parallel. Idempotent. */
    public void stop() {
        ChildProcess.stopInParallel(members().stream().map(InfinispanServer::process).toList());
    }

    @Override
    public void close() {
        stop();
    }
}
