package dev.tern.local.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.tern.local.runtime.EmbeddedCluster;

/**
 * JUnit 5 extension that gives a test class the JVM-wide {@link EmbeddedCluster#shared() shared
 * cluster}: real Kafka and Infinispan, started once for the whole test run, never per class.
 *
 * <p>Use {@code @ExtendWith(TernClusterExtension.class)}, then either declare an
 * {@link EmbeddedCluster} parameter on a test, lifecycle method or constructor, or call
 * {@link #cluster()}. The cluster is started before the first test of the class so its start-up
 * time is not charged to one test's timeout. Tests must not stop it; they should use their own
 * topic names and cache names (or unique keys) because other test classes share the servers.
 */
public final class TernClusterExtension implements BeforeAllCallback, ParameterResolver {

    /** The shared cluster, started if needed; also usable without the extension. */
    public static EmbeddedCluster cluster() {
        return EmbeddedCluster.shared();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == EmbeddedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return cluster();
    }
}
