package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.reply.Reply;

import java.util.List;

import org.junit.jupiter.api.Test;

class EhloCapabilitiesTest {

    private static EhloCapabilities parse(String... lines) {
        return EhloCapabilities.parse(new Reply(250, null, List.of(lines)));
    }

    @Test
    void recognisesEveryExtensionTheClientUses() {
        EhloCapabilities caps = parse("mx.example.net Hello", "PIPELINING", "SIZE 35882577", "8BITMIME", "SMTPUTF8",
                "STARTTLS", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "AUTH PLAIN LOGIN XOAUTH2");
        assertThat(caps.serverName()).isEqualTo("mx.example.net");
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.size()).isTrue();
        assertThat(caps.sizeLimit()).isEqualTo(35882577L);
        assertThat(caps.eightBitMime()).isTrue();
        assertThat(caps.smtpUtf8()).isTrue();
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.enhancedStatusCodes()).isTrue();
        assertThat(caps.chunking()).isTrue();
        assertThat(caps.dsn()).isTrue();
        assertThat(caps.authMechanisms()).containsExactly("PLAIN", "LOGIN", "XOAUTH2");
    }

    @Test
    void matchesKeywordsCaseInsensitively() {
        EhloCapabilities caps = parse("mx", "pipelining", "Size 100", "auth plain");
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.sizeLimit()).isEqualTo(100);
        assertThat(caps.supports("PiPeLiNiNg")).isTrue();
        assertThat(caps.authMechanisms()).containsExactly("PLAIN");
    }

    @Test
    void treatsSizeWithoutNumberOrZeroAsNoLimit() {
        assertThat(parse("mx", "SIZE").sizeLimit()).isZero();
        assertThat(parse("mx", "SIZE 0").sizeLimit()).isZero();
        assertThat(parse("mx", "SIZE lots").sizeLimit()).isZero();
        assertThat(parse("mx", "SIZE").size()).isTrue();
    }

    @Test
    void understandsObsoleteAuthEqualsSyntaxAndMergesRepeats() {
        EhloCapabilities caps = parse("mx", "AUTH=LOGIN", "AUTH PLAIN CRAM-MD5");
        assertThat(caps.authMechanisms()).containsExactly("LOGIN", "PLAIN", "CRAM-MD5");
    }

    @Test
    void heloOnlyServerHasNoExtensions() {
        assertThat(EhloCapabilities.none().pipelining()).isFalse();
        assertThat(EhloCapabilities.none().authMechanisms()).isEmpty();
        assertThat(parse("mx.example.net").toString()).isEmpty();
    }
}
