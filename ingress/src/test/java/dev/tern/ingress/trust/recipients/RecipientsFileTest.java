package dev.tern.ingress.trust.recipients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.address.Mailbox;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientsFileTest {

    private static final RecipientsFile LIST = RecipientsFile.parse(List.of(
            "# valid recipients of the local domains",
            "",
            "alice@example.com",
            "  Bob.Smith@Example.COM  ",
            "sales+eu@example.com",
            "\"john doe\"@example.com",
            "@catchall.example",
            "   # indented comment",
            "pelé@example.com"), "recipients.txt");

    @Test
    void listedAddressesMatch() {
        assertThat(LIST.lists(Mailbox.of("alice@example.com"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("carol@example.com"))).isFalse();
    }

    @Test
    void matchingIgnoresCaseOfLocalPartAndDomain() {
        assertThat(LIST.lists(Mailbox.of("ALICE@EXAMPLE.COM"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("bob.smith@example.com"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("PELÉ@example.com"))).isTrue();
    }

    @Test
    void quotedLocalPartsMatchByValue() {
        assertThat(LIST.lists(Mailbox.of("\"John Doe\"@example.com"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("johndoe@example.com"))).isFalse();
    }

    @Test
    void subaddressFallsBackToTheUser() {
        assertThat(LIST.lists(Mailbox.of("alice+news@example.com"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("Alice+News+More@example.com"))).as("only up to the first +").isTrue();
        assertThat(LIST.lists(Mailbox.of("carol+news@example.com"))).isFalse();
        assertThat(LIST.lists(Mailbox.of("+news@example.com"))).as("no user before the +").isFalse();
    }

    @Test
    void explicitSubaddressLineMatchesOnlyItself() {
        assertThat(LIST.lists(Mailbox.of("sales+eu@example.com"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("sales+us@example.com"))).isFalse();
        assertThat(LIST.lists(Mailbox.of("sales@example.com"))).isFalse();
    }

    @Test
    void catchAllCoversEveryAddressOfItsDomainOnly() {
        assertThat(LIST.lists(Mailbox.of("anyone@catchall.example"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("anyone@CatchAll.Example"))).isTrue();
        assertThat(LIST.lists(Mailbox.of("anyone@sub.catchall.example"))).isFalse();
    }

    @Test
    void domainWithoutAnyLineHasNoValidRecipients() {
        assertThat(LIST.lists(Mailbox.of("alice@other.example"))).isFalse();
        assertThat(RecipientsFile.parse(List.of(), "empty").lists(Mailbox.of("a@example.com"))).isFalse();
    }

    @Test
    void countsEntries() {
        assertThat(LIST.size()).isEqualTo(6);
    }

    @Test
    void badLineRefusesTheWholeFileNamingTheLine() {
        assertThatThrownBy(() -> RecipientsFile.parse(List.of("alice@example.com", "not an address"), "r.txt"))
                .isInstanceOf(RecipientsFileException.class)
                .hasMessageContaining("r.txt line 2")
                .hasMessageContaining("not an address");
        assertThatThrownBy(() -> RecipientsFile.parse(List.of("@bad..domain"), "r.txt"))
                .isInstanceOf(RecipientsFileException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> RecipientsFile.parse(List.of("x@[192.0.2.1]"), "r.txt"))
                .isInstanceOf(RecipientsFileException.class)
                .hasMessageContaining("address literal");
    }
}
