package dev.tern.common.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerpAddressTest {

    private static final String ID = "01JEAXK3Q5ZV8M2R7T9W4Y6B1C";
    private static final String DOMAIN = "bounce.example.org";

    @Test
    void plainRecipientIsReadableInTheAddress() {
        assertThat(VerpAddress.encode("bounce", DOMAIN, ID, "bob@Example.COM"))
                .isEqualTo("bounce+" + ID + "+bob=example.com@" + DOMAIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.com", "b.o.b@x.org", "bob+tag@x.org", "a=b@x.org", "a=3Db@x.org",
            "\"a b\"@x.org", "\"a..b\"@x.org", "\"a@b\"@x.org", "jörg@x.de", "=@x.org", "a.@x.org", "-_@x-y.org"})
    void oddLocalPartsSurviveTheRoundTrip(String recipient) {
        String encoded = VerpAddress.encode("bounce", DOMAIN, ID, recipient);
        String local = encoded.substring(0, encoded.lastIndexOf('@'));
        assertThat(local).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
        assertThat(local.length()).isLessThanOrEqualTo(VerpAddress.MAX_LOCAL_PART);
        String domain = recipient.substring(recipient.lastIndexOf('@'));
        assertThat(VerpAddress.decode("bounce", DOMAIN, encoded))
                .contains(new VerpAddress(ID, Optional.of(recipient.substring(0, recipient.lastIndexOf('@')) + domain)));
    }

    @Test
    void aRelayThatFoldsCaseLosesNothingButTheRecipientsCase() {
        String encoded = VerpAddress.encode("Bounce", DOMAIN, ID, "Bob=X@example.com").toLowerCase();
        assertThat(VerpAddress.decode("Bounce", "BOUNCE.example.org", encoded))
                .contains(new VerpAddress(ID, Optional.of("bob=x@example.com")));
    }

    @Test
    void tooLongForSixtyFourOctetsFallsBackToTheQueueId() {
        String recipient = "firstname.lastname.department@subsidiary.example.com";
        String encoded = VerpAddress.encode("bounce", DOMAIN, ID, recipient);
        assertThat(encoded).isEqualTo("bounce+" + ID + "@" + DOMAIN);
        assertThat(VerpAddress.decode("bounce", DOMAIN, encoded)).contains(new VerpAddress(ID, Optional.empty()));
    }

    @Test
    void nonAsciiDomainFallsBackToTheQueueId() {
        assertThat(VerpAddress.encode("bounce", DOMAIN, ID, "a@bücher.de")).isEqualTo("bounce+" + ID + "@" + DOMAIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounce+" + ID + "+bob=example.com@other.org", "other+" + ID + "+bob=example.com@" + DOMAIN,
            "bounce+NOTAQUEUEID+bob=example.com@" + DOMAIN, "bounce+" + ID + "+bob@" + DOMAIN,
            "bounce+" + ID + "+bob=4=example.com@" + DOMAIN, "bounce+" + ID + "+bob=ZZ=example.com@" + DOMAIN,
            "bounce+" + ID + "+bob=@" + DOMAIN, "fbl@" + DOMAIN, "bounce@" + DOMAIN, "bounce+" + ID + "+bob=ex_ample.com@" + DOMAIN})
    void addressesThatAreNotOursDecodeToNothing(String address) {
        assertThat(VerpAddress.decode("bounce", DOMAIN, address)).isEmpty();
    }
}
