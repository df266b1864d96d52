package dev.tern.local.testkit.tls;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource pointing a service's {@code tern.infinispan.*} at a {@link SecuredInfinispan}
 * started for the annotated class (use {@code restrictToAnnotatedClass = true}), over TLS with the
 * CA as a PEM truststore and SCRAM as {@link SecuredInfinispan#TERN_USER}. Kafka comes from
 * {@code TernClusterResource}; this resource's {@link #order()} is higher so its Infinispan keys win.
 *
 * <p>Init arg {@code password}: the password the service uses (default: the right one), to test
 * refused credentials. A test reaches the same server through the service's own config (the
 * resource may live in another class loader than the test).
 */
public final class SecuredInfinispanResource implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD_ARG = "password";

    private SecuredInfinispan server;
    private String password = SecuredInfinispan.PASSWORD;

    @Override
    public void init(Map<String, String> initArgs) {
        password = initArgs.getOrDefault(PASSWORD_ARG, SecuredInfinispan.PASSWORD);
    }

    @Override
    public Map<String, String> start() {
        server = SecuredInfinispan.start();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("tern.infinispan.hosts", server.hosts());
        config.put("quarkus.infinispan-client.hosts", server.hosts());
        config.put("tern.infinispan.username", SecuredInfinispan.TERN_USER);
        config.put("tern.infinispan.password", password);
        config.put("tern.infinispan.tls.enabled", "true");
        config.put("tern.infinispan.tls.truststore", server.pki().caPem().toString());
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public int order() {
        return 1000;
    }
}
