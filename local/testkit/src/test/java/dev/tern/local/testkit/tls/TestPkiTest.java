package dev.tern.local.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void issue() {
        pki = TestPki.create(dir.resolve("pki"));
        pki.server("server");
        pki.client("client", "tern-delivery");
    }

    @Test
    void serverAndClientAuthenticateEachOtherThroughTheCa() throws Exception {
        SSLContext server = context(dir.resolve("pki/server.p12"), pki.truststore());
        SSLContext client = context(dir.resolve("pki/client.p12"), pki.truststore());
        try (var listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (var s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    String name = s.getSession().getPeerPrincipal().getName();
                    s.getOutputStream().write(1);
                    return name;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (var s = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                var params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                assertThat(s.getInputStream().read()).isEqualTo(1);
            }
            assertThat(peer.get()).isEqualTo("CN=tern-delivery");
        }
    }

    @Test
    void aServerOutsideTheCaIsRefused() throws Exception {
        TestPki other = TestPki.create(dir.resolve("other"));
        other.server("server");
        SSLContext server = context(dir.resolve("other/server.p12"), other.truststore());
        SSLContext client = context(null, pki.truststore());
        try (var listener = server.getServerSocketFactory().createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (var s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                } catch (Exception expected) {
                    // the client aborts the handshake
                }
            });
            try (var s = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void pemFilesHoldTheKeyAndTheChain() throws Exception {
        Path key = pki.pem("server");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        String chain = Files.readString(dir.resolve("pki/server-chain.pem"));
        assertThat(chain.split("BEGIN CERTIFICATE")).hasSize(3);
        assertThat(Files.readString(pki.caPem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    private static SSLContext context(Path keystore, Path truststore) throws Exception {
        char[] password = TestPki.PASSWORD.toCharArray();
        KeyManagerFactory keys = null;
        if (keystore != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, password);
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(ks, password);
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            ts.load(in, password);
        }
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ts);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return tls;
    }
}
