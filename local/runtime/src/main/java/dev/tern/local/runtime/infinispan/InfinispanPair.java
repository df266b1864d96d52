package dev.tern.local.runtime.infinispan;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.tern.local.runtime.process.ChildProcess;
import dev.tern.local.runtime.process.FreePorts;

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
public final class InfinispanPair implements AutoCloseable {

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
        Properties remembered = load(root);
        String clusterName = remembered.getProperty("cluster.name", "tern-local-ha-" + UUID.randomUUID());
        remembered.setProperty("cluster.name", clusterName);
        List<Integer> hotRod = new ArrayList<>();
        List<Integer> jgroups = new ArrayList<>();
        for (int i = 0; i < hotRodPorts.size(); i++) {
            int n = i + 1;
            int wanted = hotRodPorts.get(i) != 0 ? hotRodPorts.get(i) : port(remembered, n, "hotrod");
            hotRod.add(FreePorts.orPick(wanted));
            jgroups.add(FreePorts.orPick(port(remembered, n, "jgroups")));
            remembered.setProperty("node." + n + ".hotrod.port", Integer.toString(hotRod.get(i)));
            remembered.setProperty("node." + n + ".jgroups.port", Integer.toString(jgroups.get(i)));
        }
        store(root, remembered);
        List<InfinispanServer> members = new ArrayList<>();
        try {
            for (int i = 0; i < hotRod.size(); i++) {
                members.add(launch(root, i + 1, hotRod.get(i), jgroups, clusterName));
            }
            for (InfinispanServer member : members) {
                member.awaitClusterOf(members.size());
            }
        } catch (RuntimeException e) {
            members.forEach(InfinispanServer::stop);
            throw e;
        }
        return new InfinispanPair(new ArrayList<>(members), jgroups, clusterName);
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
        ChildProcess process = member(n).process();
        process.handle().destroyForcibly();
        process.awaitExit(Duration.ofSeconds(30));
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
        List<Thread> stoppers = new ArrayList<>();
        for (InfinispanServer member : members()) {
            Thread t = new Thread(member::stop, "tern-stop-" + member.process().name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int port(Properties props, int n, String kind) {
        return Integer.parseInt(props.getProperty("node." + n + "." + kind + ".port", "0"));
    }

    private static Properties load(Path root) {
        Properties props = new Properties();
        Path file = root.resolve("pair.properties");
        try {
            Files.createDirectories(root);
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                    props.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return props;
    }

    private static void store(Path root, Properties props) {
        Path file = root.resolve("pair.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            props.store(out, "cluster name and ports of the local Infinispan pair, reused on restart");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
