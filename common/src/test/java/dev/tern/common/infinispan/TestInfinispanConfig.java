package dev.tern.common.infinispan;

import dev.tern.common.config.TernConfig;
import java.nio.file.Path;
import java.util.Optional;

/** {@code tern.infinispan.*} as a test writes it, without SmallRye Config. */
record TestInfinispanConfig(String hosts, Optional<String> username, Optional<String> password,
        Optional<Path> passwordFile, String saslMechanism, Tls tls) implements TernConfig.Infinispan {

    static TestInfinispanConfig of(String hosts) {
        return new TestInfinispanConfig(hosts, Optional.empty(), Optional.empty(), Optional.empty(),
                "SCRAM-SHA-512", Tls.OFF);
    }

    TestInfinispanConfig withCredentials(String user, String secret) {
        return new TestInfinispanConfig(hosts, Optional.of(user), Optional.of(secret), passwordFile, saslMechanism, tls);
    }

    TestInfinispanConfig withPasswordFile(Path file) {
        return new TestInfinispanConfig(hosts, username, password, Optional.of(file), saslMechanism, tls);
    }

    TestInfinispanConfig withMechanism(String mechanism) {
        return new TestInfinispanConfig(hosts, username, password, passwordFile, mechanism, tls);
    }

    TestInfinispanConfig withTrust(Path truststore, String password) {
        return new TestInfinispanConfig(hosts, username, this.password, passwordFile, saslMechanism,
                new Tls(true, Optional.of(truststore), Optional.empty(), Optional.ofNullable(password), Optional.empty()));
    }

    @Override
    public boolean requiredForReadiness() {
        return true;
    }

    record Tls(boolean enabled, Optional<Path> truststore, Optional<String> truststoreType,
            Optional<String> truststorePassword, Optional<String> sniHostName) implements TernConfig.InfinispanTls {

        static final Tls OFF = new Tls(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        @Override
        public Optional<Path> keystore() {
            return Optional.empty();
        }

        @Override
        public Optional<String> keystoreType() {
            return Optional.empty();
        }

        @Override
        public Optional<String> keystorePassword() {
            return Optional.empty();
        }
    }
}
