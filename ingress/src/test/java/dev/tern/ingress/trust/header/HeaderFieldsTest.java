package dev.tern.ingress.trust.header;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.trust.header.HeaderFields.Field;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderFieldsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fieldsAreUnfoldedInOrderAndTheBodyIsNotRead() {
        var fields = HeaderFields.of(bytes("From: a@example.org\r\nSubject: one\r\n\ttwo\r\n  three\r\n"
                + "X-Empty:\r\n\r\nFrom: body@example.org\r\n"));
        assertThat(fields).containsExactly(new Field("from", "a@example.org"),
                new Field("subject", "one\ttwo  three"), new Field("x-empty", ""));
        assertThat(HeaderFields.values(fields, "FROM")).containsExactly("a@example.org");
    }

    @Test
    void bareLineFeedsAndAMessageWithoutHeaderOrBody() {
        assertThat(HeaderFields.of(bytes("From: a@example.org\nTo: b@example.org\n\nbody\n")))
                .extracting(Field::name).containsExactly("from", "to");
        assertThat(HeaderFields.of(bytes("\r\nFrom: body@example.org\r\n"))).isEmpty();
        assertThat(HeaderFields.of(bytes("From: a@example.org"))).extracting(Field::value)
                .containsExactly("a@example.org");
        assertThat(HeaderFields.of(bytes("not a field\r\nFrom: a@example.org\r\n\r\n"))).hasSize(1);
    }
}
