package dev.tern.ingress.trust.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FromHeaderTest {

    private static FromHeader from(String header) {
        return FromHeader.of((header + "Subject: hi\r\n\r\nFrom: body@not-a-header.example\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void displayNamesQuotedStringsAndCommentsAroundAnAngleAddress() {
        assertThat(from("From: Alice <alice@Example.ORG>\r\n").domains()).containsExactly("example.org");
        assertThat(from("From: \"Evil, <x@evil.example>\" <alice@example.org>\r\n").domains())
                .containsExactly("example.org");
        assertThat(from("From: (comment (nested) x@evil.example) alice@example.org (Alice)\r\n").domains())
                .containsExactly("example.org");
        assertThat(from("From: \"a@b\"@example.org\r\n").domains()).containsExactly("example.org");
        assertThat(from("From: <@route.example:alice@example.org>\r\n").domains()).containsExactly("example.org");
    }

    @Test
    void foldedFieldsAreUnfoldedAndBareLineFeedsAccepted() {
        assertThat(from("From: Alice\r\n <alice@example.org>\r\n").domains()).containsExactly("example.org");
        assertThat(FromHeader.of("From: a@example.org\nSubject: x\n\nbody\n".getBytes(StandardCharsets.UTF_8))
                .domains()).containsExactly("example.org");
    }

    @Test
    void groupsAndSeveralMailboxesGiveEachDistinctDomain() {
        assertThat(from("From: a@example.org, B <b@example.org>, c@other.example\r\n").domains())
                .containsExactly("example.org", "other.example");
        assertThat(from("From: Team: a@example.org, b@other.example;\r\n").domains())
                .containsExactly("example.org", "other.example");
    }

    @Test
    void aMissingRepeatedEmptyOrMalformedFromIsAProblem() {
        assertThat(from("").problem()).contains("no From");
        assertThat(from("From: a@example.org\r\nFrom: b@example.org\r\n").problem()).contains("2 From");
        assertThat(from("From: undisclosed:;\r\n").problem()).contains("no mailbox");
        assertThat(from("From: alice\r\n").problem()).contains("unparseable");
        assertThat(from("From: <alice@example.org\r\n").problem()).contains("unparseable");
        assertThat(from("From: alice@exa mple..org\r\n").problem()).contains("unparseable");
        assertThat(from("From: alice@[192.0.2.1]\r\n").problem()).contains("domain literal");
        assertThat(from("From: a@example.org\r\n").problem()).isNull();
    }
}
