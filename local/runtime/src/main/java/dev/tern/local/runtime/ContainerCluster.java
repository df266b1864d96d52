package dev.tern.local.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;

import dev.tern.local.runtime.kafka.KafkaTopics;
import dev.tern.local.runtime.kafka.TopicSpec;

/**
 * {@link EmbeddedCluster} backed by Testcontainers: {@code apache/kafka} through
 * {@link KafkaContainer} and {@code quay.io/infinispan/server} running the same
 * {@code tern/infinispan.xml} as the child-process server (no authentication, one node).
 *
 * <p>Only used where a Docker engine answers ({@link #dockerAvailable()}); the build machines of
 * this project have none, so this backend is not exercised by this module's own tests. Image
 * names can be overridden with system properties {@code tern.local.kafka-image} and
 * {@code tern.local.infinispan-image}. Hot Rod clients must use {@code BASIC} intelligence here:
 * the server advertises its container-internal address in the topology.
 */
public final class ContainerCluster implements EmbeddedCluster {

    private static final int HOTROD_PORT = 11222;

    private final KafkaContainer kafka;
    private final GenericContainer<?> infinispan;

    private ContainerCluster(KafkaContainer kafka, GenericContainer<?> infinispan) {
        this.kafka = kafka;
        this.infinispan = infinispan;
    }

    /** True when Testcontainers is on the classpath and finds a working Docker engine. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts both containers in parallel and returns once both are ready. */
    @SuppressWarnings("resource") // closed in stop()
    public static ContainerCluster start() {
        KafkaContainer kafka = new KafkaContainer(System.getProperty("tern.local.kafka-image", "apache/kafka:4.4.0"));
        GenericContainer<?> infinispan = new GenericContainer<>(
                System.getProperty("tern.local.infinispan-image", "quay.io/infinispan/server:16.0"))
                .withExposedPorts(HOTROD_PORT)
                .withCopyToContainer(Transferable.of(resource("tern/infinispan.xml")), "/opt/infinispan/server/conf/tern.xml")
                .withCommand("-c", "tern.xml", "-b", "0.0.0.0")
                .waitingFor(Wait.forLogMessage(".*ISPN080001.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
        CompletableFuture<Void> kafkaStarted = CompletableFuture.runAsync(kafka::start);
        try {
            infinispan.start();
            kafkaStarted.join();
        } catch (RuntimeException e) {
            kafkaStarted.whenComplete((ignored, failure) -> kafka.stop());
            infinispan.stop();
            throw e;
        }
        return new ContainerCluster(kafka, infinispan);
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers().replaceFirst("^PLAINTEXT://", "");
    }

    @Override
    public String infinispanHosts() {
        return infinispan.getHost() + ":" + infinispan.getMappedPort(HOTROD_PORT);
    }

    @Override
    public void createTopics(List<TopicSpec> topics) {
        KafkaTopics.createMissing(kafkaBootstrapServers(), topics);
    }

    @Override
    public String backend() {
        return "containers";
    }

    @Override
    public void stop() {
        infinispan.stop();
        kafka.stop();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ContainerCluster.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
