package dev.tern.common.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.infinispan.client.hotrod.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotRodSettingsTest {

    @TempDir
    Path dir;

    private static final TestInfinispanConfig BASE = TestInfinispanConfig.of("ispn.tern.svc:11222;ispn-1.tern.svc:11222");

    @Test
    void withoutUsernameThereIsNoAuthenticationAndWithoutTlsNoTls() {
        Configuration c = HotRodSettings.from(BASE);
        assertThat(c.security().authentication().enabled()).isFalse();
        assertThat(c.security().ssl().enabled()).isFalse();
        assertThat(c.servers()).hasSize(2);
    }

    @Test
    void credentialsUseTheConfiguredSaslMechanism() {
        Configuration c = HotRodSettings.from(BASE.withCredentials("tern", "pw").withMechanism("DIGEST-MD5"));
        assertThat(c.security().authentication().enabled()).isTrue();
        assertThat(c.security().authentication().saslMechanism()).isEqualTo("DIGEST-MD5");
    }

    @Test
    void theServerNameCheckedDefaultsToTheFirstHostAndCanBeSet() {
        var tls = new TestInfinispanConfig.Tls(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        var config = new TestInfinispanConfig(BASE.hosts(), Optional.empty(), Optional.empty(), Optional.empty(),
                "SCRAM-SHA-512", tls);
        Configuration c = HotRodSettings.from(config);
        assertThat(c.security().ssl().enabled()).isTrue();
        assertThat(c.security().ssl().hostnameValidation()).isTrue();
        assertThat(c.security().ssl().sniHostName()).isEqualTo("ispn.tern.svc");

        var named = new TestInfinispanConfig(BASE.hosts(), Optional.empty(), Optional.empty(), Optional.empty(),
                "SCRAM-SHA-512", new TestInfinispanConfig.Tls(true, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("infinispan.example")));
        assertThat(HotRodSettings.from(named).security().ssl().sniHostName()).isEqualTo("infinispan.example");
    }

    @Test
    void firstHostHandlesPortsListsAndIpv6() {
        assertThat(HotRodSettings.firstHost("a.example:11222;b.example:11222")).isEqualTo("a.example");
        assertThat(HotRodSettings.firstHost("a.example")).isEqualTo("a.example");
        assertThat(HotRodSettings.firstHost("[::1]:11222")).isEqualTo("::1");
    }

    @Test
    void aMissingTruststoreFailsNamingTheKey() {
        Path missing = dir.resolve("ca.pem");
        assertThatThrownBy(() -> HotRodSettings.from(BASE.withTrust(missing, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("tern.infinispan.tls.truststore: " + missing + " cannot be read");
    }

    @Test
    void aMalformedPemTruststoreFailsNamingTheKey() throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
        assertThatThrownBy(() -> HotRodSettings.from(BASE.withTrust(garbage, null)))
                .hasMessageStartingWith("tern.infinispan.tls.truststore: " + garbage + " is not a readable PEM");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> HotRodSettings.from(BASE.withTrust(empty, null)))
                .hasMessageStartingWith("tern.infinispan.tls.truststore: " + empty);
    }

    @Test
    void aMalformedPkcs12TruststoreFailsNamingTheKey() throws Exception {
        Path garbage = Files.writeString(dir.resolve("truststore.p12"), "not a keystore");
        assertThatThrownBy(() -> HotRodSettings.from(BASE.withTrust(garbage, "secret")))
                .hasMessageStartingWith("tern.infinispan.tls.truststore: " + garbage + " is not a readable PKCS12 store");
    }

    @Test
    void storeTypesComeFromTheKeyOrTheFileName() {
        assertThat(HotRodTls.storeType(Path.of("ca.crt"), Optional.empty(), "PEM")).isEqualTo("PEM");
        assertThat(HotRodTls.storeType(Path.of("trust.p12"), Optional.empty(), "PEM")).isEqualTo("PKCS12");
        assertThat(HotRodTls.storeType(Path.of("trust.jks"), Optional.empty(), "PEM")).isEqualTo("JKS");
        assertThat(HotRodTls.storeType(Path.of("trust.p12"), Optional.of("pem"), "PEM")).isEqualTo("PEM");
        assertThatThrownBy(() -> HotRodTls.storeType(Path.of("x"), Optional.of("DER"), "PEM"))
                .hasMessageContaining("expected PEM, PKCS12 or JKS");
    }

    @Test
    void thePasswordFileWinsWithoutItsTrailingLineBreak() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "from-the-secret\n");
        assertThat(HotRodSettings.password(BASE.withCredentials("tern", "from-env").withPasswordFile(file)))
                .contains("from-the-secret");
        assertThat(HotRodSettings.password(BASE.withCredentials("tern", "from-env"))).contains("from-env");
    }

    @Test
    void aMissingPasswordFileFailsNamingTheKeyNotThePassword() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> HotRodSettings.from(BASE.withCredentials("tern", "pw").withPasswordFile(missing)))
                .hasMessageStartingWith("tern.infinispan.password-file: cannot read " + missing);
    }

    @Test
    void refusedCredentialsAreOneLine() {
        var error = new RuntimeException("Request for messageId=2 returned server error (status=0x85): "
                + "java.lang.SecurityException: ISPN006024: Invalid credentials\njavax.security.sasl.SaslException: ELY05055");
        assertThat(HotRodFailures.misconfiguration(new RuntimeException("wrapped", error)))
                .contains("Infinispan refused Tern's credentials, check tern.infinispan.username, the password and "
                        + "tern.infinispan.sasl-mechanism: ISPN006024: Invalid credentials");
        assertThat(HotRodFailures.misconfiguration(new RuntimeException("Connection refused"))).isEmpty();
    }
}
