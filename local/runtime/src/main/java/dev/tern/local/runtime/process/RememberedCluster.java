package dev.tern.local.runtime.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The properties file in a local multi-node cluster's directory that remembers the cluster's
 * identity and every node's ports ({@code node.<n>.<kind>.port}), so that a restart on the same
 * directory rebuilds the same cluster: members find each other, and persisted state that names
 * their addresses stays valid. Not thread-safe; used while a cluster starts.
 */
public final class RememberedCluster {

    private final Path file;
    private final Properties props;

    private RememberedCluster(Path file, Properties props) {
        this.file = file;
        this.props = props;
    }

    /** Reads {@code dir/fileName} if it exists (nothing remembered otherwise), creating {@code dir}. */
    public static RememberedCluster load(Path dir, String fileName) {
        Properties props = new Properties();
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                    props.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new RememberedCluster(file, props);
    }

    /** The value remembered under {@code key}, else {@code fresh}'s, which is remembered from now on. */
    public String rememberOrCreate(String key, Supplier<String> fresh) {
        String value = props.getProperty(key);
        if (value == null) {
            value = fresh.get();
            props.setProperty(key, value);
        }
        return value;
    }

    /**
     * Every node's {@code kind} port, node {@code n} at index {@code n - 1}: the port {@code asked}
     * for it unless 0, else the remembered one, else a free one; remembered from now on.
     */
    public List<Integer> ports(String kind, List<Integer> asked) {
        List<Integer> ports = new ArrayList<>();
        for (int n = 1; n <= asked.size(); n++) {
            String key = "node." + n + "." + kind + ".port";
            int wanted = asked.get(n - 1) != 0 ? asked.get(n - 1) : Integer.parseInt(props.getProperty(key, "0"));
            int port = FreePorts.orPick(wanted);
            props.setProperty(key, Integer.toString(port));
            ports.add(port);
        }
        return ports;
    }

    /** {@link #ports} for {@code nodes} nodes, none asked for: remembered ones, else free ones. */
    public List<Integer> ports(String kind, int nodes) {
        return ports(kind, Collections.nCopies(nodes, 0));
    }

    /** Writes everything remembered back to the file, {@code comment} saying what it is. */
    public void store(String comment) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            props.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
