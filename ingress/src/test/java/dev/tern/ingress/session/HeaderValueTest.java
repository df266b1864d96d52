package dev.tern.ingress.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderValueTest {

    @Test
    void findsTheFieldCaseInsensitivelyAndUnfoldsIt() {
        byte[] m = bytes("Received: from x\r\n\tby y\r\nmessage-id:\r\n <abc@example.org>\r\nSubject: s\r\n\r\nbody");
        assertThat(HeaderValue.of(m, "Message-ID")).isEqualTo("<abc@example.org>");
        assertThat(HeaderValue.of(m, "Subject")).isEqualTo("s");
    }

    @Test
    void stopsAtTheEndOfTheHeaderSection() {
        byte[] m = bytes("Subject: s\r\n\r\nMessage-ID: <in-the-body@x>\r\n");
        assertThat(HeaderValue.of(m, "Message-ID")).isNull();
    }

    @Test
    void aContinuationLineIsNotAField() {
        byte[] m = bytes("X-A: one\r\n Message-ID: <no@x>\n\nbody");
        assertThat(HeaderValue.of(m, "Message-ID")).isNull();
        assertThat(HeaderValue.of(m, "X-A")).isEqualTo("one Message-ID: <no@x>");
    }

    @Test
    void aMessageWithoutBodyOrNewlineStillHasItsHeader() {
        assertThat(HeaderValue.of(bytes("Message-ID: <a@b>"), "Message-ID")).isEqualTo("<a@b>");
        assertThat(HeaderValue.of(new byte[0], "Message-ID")).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
