package dev.tern.smtp.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DsnParametersTest {

    @Test
    void xtextEncodesPlusEqualsSpaceAndNonAscii() {
        assertThat(XText.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
        assertThat(XText.encode("jörg")).isEqualTo("j+C3+B6rg");
    }

    @Test
    void xtextRoundTrips() {
        for (String s : new String[] {"", "plain", "a+b=c d", "jörg@exämple", "+++", "\u0001"}) {
            assertThat(XText.decode(XText.encode(s))).isEqualTo(s);
        }
    }

    @Test
    void xtextDecodeRejectsBrokenEscapes() {
        assertThatThrownBy(() -> XText.decode("a+2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XText.decode("a+ZZ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XText.decode("ä")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orcptParsesAndRendersWireForm() {
        OriginalRecipient orcpt = OriginalRecipient.parse("rfc822;Alice+2BTag@example.net");
        assertThat(orcpt).isEqualTo(new OriginalRecipient("rfc822", "Alice+Tag@example.net"));
        assertThat(orcpt.toParameter()).isEqualTo("rfc822;Alice+2BTag@example.net");
        assertThatThrownBy(() -> OriginalRecipient.parse("no-type")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notifyRendersInCanonicalOrderAndKeepsNeverAlone() {
        assertThat(Notify.toParameter(EnumSet.of(Notify.DELAY, Notify.FAILURE, Notify.SUCCESS))).isEqualTo("SUCCESS,FAILURE,DELAY");
        assertThat(Notify.toParameter(Set.of(Notify.NEVER))).isEqualTo("NEVER");
        assertThatThrownBy(() -> Notify.toParameter(EnumSet.of(Notify.NEVER, Notify.FAILURE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsDatesPerRfc5322WithNumericZone() {
        assertThat(MailDates.format(Instant.parse("2024-01-02T03:04:05Z"), ZoneId.of("UTC"))).isEqualTo("Tue, 2 Jan 2024 03:04:05 +0000");
        assertThat(MailDates.format(Instant.parse("2024-07-02T03:04:05Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo("Tue, 2 Jul 2024 05:04:05 +0200");
    }

    @Test
    void foldsAtSpacesBelow78Columns() {
        String folded = HeaderFolding.field("Diagnostic-Code", "smtp; 550 " + "word ".repeat(40).trim());
        for (String line : folded.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(folded.replace("\r\n", "")).isEqualTo("Diagnostic-Code: smtp; 550 " + "word ".repeat(40).trim());
    }

    @Test
    void cutsUnbreakableValuesAt998Octets() {
        String folded = HeaderFolding.field("X", "y".repeat(3000));
        for (String line : folded.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
        assertThat(folded).endsWith("\r\n");
        assertThat(folded.replace("\r\n ", "").replace("\r\n", "")).isEqualTo("X: " + "y".repeat(3000));
    }

    @Test
    void leavesShortFieldsOnOneLine() {
        assertThat(HeaderFolding.field("Action", "failed")).isEqualTo("Action: failed\r\n");
    }
}
