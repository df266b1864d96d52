package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Mechanism choice, the exact bytes of each step, and reply verdicts of {@link ClientAuth}. */
class ClientAuthTest {

    private static final ClientCredentials TERN = new ClientCredentials("tern", "s3cret");

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void prefersPlainWhereverTheServerListsIt() {
        assertThat(ClientAuth.choose(new LinkedHashSet<>(List.of("LOGIN", "CRAM-MD5", "PLAIN"))))
                .contains(ClientAuth.Mechanism.PLAIN);
    }

    @Test
    void fallsBackToLoginAndToNothing() {
        assertThat(ClientAuth.choose(Set.of("LOGIN", "XOAUTH2"))).contains(ClientAuth.Mechanism.LOGIN);
        assertThat(ClientAuth.choose(Set.of("CRAM-MD5", "SCRAM-SHA-256"))).isEmpty();
        assertThat(ClientAuth.choose(Set.of())).isEmpty();
    }

    @Test
    void plainSendsTheInitialResponseAndSucceedsOn235() {
        var auth = new ClientAuth(ClientAuth.Mechanism.PLAIN, new ClientCredentials("user@example.com", "pässword"));

        // base64("\0user@example.com\0pässword"), the password in UTF-8 (RFC 4616 §2).
        assertThat(text(auth.start())).isEqualTo("AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20AcMOkc3N3b3Jk\r\n");
        assertThat(auth.onReply(Reply.of(235, "2.7.0", "Authentication successful")))
                .isInstanceOf(ClientAuth.Step.Succeeded.class);
    }

    @Test
    void loginAnswersTheTwoPromptsInOrder() {
        var auth = new ClientAuth(ClientAuth.Mechanism.LOGIN, TERN);

        assertThat(text(auth.start())).isEqualTo("AUTH LOGIN\r\n");
        var user = auth.onReply(Reply.of(334, "VXNlcm5hbWU6"));
        var password = auth.onReply(Reply.of(334, "UGFzc3dvcmQ6"));
        var third = auth.onReply(Reply.of(334, "UGFzc3dvcmQ6"));

        assertThat(text(((ClientAuth.Step.Send) user).bytes())).isEqualTo("dGVybg==\r\n");
        assertThat(text(((ClientAuth.Step.Send) password).bytes())).isEqualTo("czNjcmV0\r\n");
        assertThat(((ClientAuth.Step.Failed) third).reason().toString()).startsWith("451 4.5.0");
    }

    @Test
    void aRejectedCredentialIsATransient478WithTheServersReply() {
        var auth = new ClientAuth(ClientAuth.Mechanism.PLAIN, TERN);
        auth.start();

        var step = auth.onReply(Reply.of(535, "5.7.8", "Error: authentication failed"));

        assertThat(((ClientAuth.Step.Failed) step).reason().toString())
                .isEqualTo("451 4.7.8 Smarthost authentication failed: 535 5.7.8 Error: authentication failed");
    }

    @Test
    void aTemporaryFailureKeepsTheServersReply() {
        var auth = new ClientAuth(ClientAuth.Mechanism.LOGIN, TERN);
        auth.start();

        var step = auth.onReply(Reply.of(454, "4.7.0", "Temporary authentication failure"));

        assertThat(((ClientAuth.Step.Failed) step).reason()).isEqualTo(Reply.of(454, "4.7.0",
                "Temporary authentication failure"));
    }

    @Test
    void credentialsNeverShowThePassword() {
        var config = HandshakeConfig.smtp("out.example.org", TlsPolicy.OPPORTUNISTIC).withCredentials(TERN);

        assertThat(TERN.toString()).contains("tern").doesNotContain("s3cret");
        assertThat(config.toString()).contains("tern").doesNotContain("s3cret");
    }

    @Test
    void refusesNulWhichWouldSplitThePlainResponse() {
        assertThatThrownBy(() -> new ClientCredentials("tern", "a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientCredentials("", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
