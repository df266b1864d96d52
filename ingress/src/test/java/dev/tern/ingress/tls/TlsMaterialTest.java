package dev.tern.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.ingress.config.IngressConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

    @TempDir
    Path dir;

    private static IngressConfig.Tls config(Optional<String> cert, Optional<String> key, Path generated) {
        return new IngressConfig.Tls() {
            public Optional<String> certFile() {
                return cert;
            }

            public Optional<String> keyFile() {
                return key;
            }

            public String generatedDir() {
                return generated.toString();
            }

            public Duration reloadInterval() {
                return Duration.ofMillis(200);
            }
        };
    }

    @Test
    void noticesRenewedFiles() throws Exception {
        Path[] first = SelfSignedCertificate.ensure(dir.resolve("a"), "mx.test");
        var tls = new TlsMaterial(config(Optional.of(first[0].toString()), Optional.of(first[1].toString()), dir), "mx.test");
        assertThat(tls.changed()).isFalse();
        Path[] second = SelfSignedCertificate.ensure(dir.resolve("b"), "mx.test");
        Files.copy(second[0], first[0], StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second[1], first[1], StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.changed()).isTrue();
        assertThat(tls.changed()).isFalse();
    }

    @Test
    void certificateWithoutKeyFailsNamingBothKeys() {
        assertThatThrownBy(() -> new TlsMaterial(config(Optional.of("/x.crt"), Optional.empty(), dir), "mx.test"))
                .hasMessageContaining("tern.ingress.tls.cert-file").hasMessageContaining("tern.ingress.tls.key-file");
    }
}
