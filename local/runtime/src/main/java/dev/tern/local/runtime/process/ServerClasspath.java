package dev.tern.local.runtime.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the classpath of a server distribution from the resource that a {@code local/*-dist}
 * module wrote at build time ({@code tern/kafka.classpath}, {@code tern/infinispan.classpath}),
 * and locates this module's own classes so {@link ParentWatchdog} can run in the child.
 *
 * <p>The server jars never join the caller's classpath: Kafka 4.4 and the Infinispan server pull
 * in their own Jackson, Netty and log4j versions, which would clash with Quarkus's. Fails with
 * {@link IllegalStateException} naming the resource or jar when something is missing.
 */
public final class ServerClasspath {

    /** Classpath resource of the Kafka broker, written by {@code local/kafka-dist}. */
    public static final String KAFKA = "tern/kafka.classpath";
    /** Classpath resource of the Infinispan server, written by {@code local/infinispan-dist}. */
    public static final String INFINISPAN = "tern/infinispan.classpath";

    private ServerClasspath() {
    }

    /**
     * Entries of the named classpath resource followed by this module's own jar or classes
     * directory; the watchdog goes last so it can never shadow a server class.
     */
    public static List<Path> forServer(String resource) {
        List<Path> entries = new ArrayList<>(read(resource));
        entries.add(ownLocation());
        return entries;
    }

    static List<Path> read(String resource) {
        ClassLoader loader = ServerClasspath.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource
                        + " not found: is the matching tern-local-*-dist jar on the classpath?");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<Path> entries = new ArrayList<>();
            for (String entry : text.split(File.pathSeparator)) {
                Path jar = Path.of(entry.trim());
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(resource + " names a missing jar " + jar
                            + "; rebuild the dist module (./mvnw install -pl local/kafka-dist,local/infinispan-dist)");
                }
                entries.add(jar);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static Path ownLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the jar holding " + ParentWatchdog.class.getName(), e);
        }
    }

    /** Joins entries with the platform path separator, for {@code -cp} or {@code CLASSPATH}. */
    public static String join(List<Path> entries) {
        StringBuilder joined = new StringBuilder();
        for (Path entry : entries) {
            if (joined.length() > 0) {
                joined.append(File.pathSeparatorChar);
            }
            joined.append(entry);
        }
        return joined.toString();
    }
}
