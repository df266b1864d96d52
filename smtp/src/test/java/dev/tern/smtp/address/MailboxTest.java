package dev.tern.smtp.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxTest {

    @Test
    void lowercasesTheDomainButKeepsTheLocalPartCase() {
        Mailbox mailbox = Mailbox.parse("John.Doe@Example.ORG", false).value();
        assertThat(mailbox.localPart()).isEqualTo("John.Doe");
        assertThat(mailbox.domain()).isEqualTo("example.org");
    }

    @Test
    void treatsNeedlesslyQuotedLocalPartAsTheSameMailbox() {
        assertThat(Mailbox.parse("\"joe\"@x.test", false).value()).isEqualTo(Mailbox.parse("joe@x.test", false).value());
        assertThat(Mailbox.parse("\"joe\"@x.test", false).value().toString()).isEqualTo("joe@x.test");
    }

    @Test
    void requotesLocalPartsThatAreNotDotStrings() {
        Mailbox mailbox = Mailbox.parse("\"a b\\\"c\"@x.test", false).value();
        assertThat(mailbox.localPart()).isEqualTo("a b\"c");
        assertThat(mailbox.toString()).isEqualTo("\"a b\\\"c\"@x.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user%other@x.test", "other!user@x.test", "\"user@other\"@x.test"})
    void flagsLocalPartsThatCouldRouteMailElsewhere(String text) {
        assertThat(Mailbox.parse(text, false).value().hasRoutingCharacters()).isTrue();
    }

    @Test
    void plainLocalPartHasNoRoutingCharacters() {
        assertThat(Mailbox.parse("user+tag@x.test", false).value().hasRoutingCharacters()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "user@[192.0.2.1], [192.0.2.1]",
        "user@[IPv6:2001:DB8::1], [IPv6:2001:db8::1]",
        "user@[ipv6:::1], [IPv6:::1]",
        "user@[IPv6:::ffff:192.0.2.1], [IPv6:::ffff:192.0.2.1]"})
    void canonicalisesAddressLiterals(String text, String domain) {
        Mailbox mailbox = Mailbox.parse(text, false).value();
        assertThat(mailbox.domain()).isEqualTo(domain);
        assertThat(mailbox.isAddressLiteral()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@[1.2.3]", "user@[1.2.3.4.5]", "user@[256.0.0.1]", "user@[IPv6:1:2:3:4:5:6:7:8:9]",
        "user@[IPv6:1::2::3]", "user@[IPv6:1:2:3:4:5:6:7::]", "user@[IPv6:gggg::1]", "user@[tag:content]", "user@[]"})
    void refusesInvalidAddressLiterals(String text) {
        assertThat(Mailbox.parse(text, false).reply().toString()).startsWith("501 5.1.3");
    }

    @Test
    void refusesDomainOver255Octets() {
        String domain = ("a".repeat(63) + ".").repeat(4) + "example";
        assertThat(Mailbox.parse("u@" + domain, false).reply().toString()).startsWith("553 5.1.3 Domain");
    }

    @Test
    void refusesLabelOver63Octets() {
        assertThat(Mailbox.parse("u@" + "a".repeat(64) + ".test", false).isOk()).isFalse();
        assertThat(Mailbox.parse("u@" + "a".repeat(63) + ".test", false).isOk()).isTrue();
    }

    @Test
    void countsLocalPartLengthInUtf8Octets() {
        String local = "é".repeat(32);
        assertThat(Mailbox.parse(local + "@x.test", true).isOk()).isTrue();
        assertThat(Mailbox.parse(local + "e@x.test", true).reply().toString()).startsWith("553 5.1.3 Local part");
    }

    @Test
    void refusesNonAsciiWithoutSmtputf8With553And567() {
        assertThat(Mailbox.parse("jöe@x.test", false).reply().toString())
                .isEqualTo("553 5.6.7 Non-ASCII recipient address requires SMTPUTF8");
    }

    @Test
    void acceptsInternationalisedAddressesWithSmtputf8() {
        Mailbox mailbox = Mailbox.parse("用户@例子.广告", true).value();
        assertThat(mailbox.needsSmtpUtf8()).isTrue();
    }

    @Test
    void usesSenderStatusCodesForTheSenderRole() {
        assertThat(Mailbox.parse("bad", false, AddressRole.SENDER).reply().toString())
                .isEqualTo("501 5.1.7 Bad sender address syntax");
    }

    @Test
    void ofThrowsOnBadTrustedInput() {
        assertThat(Mailbox.of("a@b.test")).isEqualTo(new Mailbox("a", "b.test"));
        assertThatThrownBy(() -> Mailbox.of("not an address")).isInstanceOf(IllegalArgumentException.class);
    }
}
