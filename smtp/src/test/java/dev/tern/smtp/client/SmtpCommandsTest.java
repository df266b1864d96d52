package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class SmtpCommandsTest {

    @Test
    void refusesAddressesThatCouldInjectACommand() {
        assertThatThrownBy(() -> OutboundRecipient.of("a@b>\r\nRCPT TO:<evil@x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRecipient.of("a@b\nDATA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundEnvelope.of("s>@x", List.of("a@b"), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpCommands.ehlo("host name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allowsQuotedLocalPartWithSpace() {
        byte[] rcpt = SmtpCommands.rcpt(OutboundRecipient.of("\"john doe\"@example.org"), EhloCapabilities.none());
        assertThat(new String(rcpt, StandardCharsets.US_ASCII)).isEqualTo("RCPT TO:<\"john doe\"@example.org>\r\n");
    }

    @Test
    void sendsNullReversePathAsEmptyBrackets() {
        byte[] mail = SmtpCommands.mail(OutboundEnvelope.of("", List.of("a@b"), 1), EhloCapabilities.none());
        assertThat(new String(mail, StandardCharsets.US_ASCII)).isEqualTo("MAIL FROM:<>\r\n");
    }

    @Test
    void encodesAuthPlainInitialResponse() {
        assertThat(new String(SmtpCommands.authPlain("tern", "s3cret"), StandardCharsets.US_ASCII))
                .isEqualTo("AUTH PLAIN AHRlcm4AczNjcmV0\r\n");
    }
}
