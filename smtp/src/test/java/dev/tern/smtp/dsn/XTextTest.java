package dev.tern.smtp.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XTextTest {

    @Test
    void decodesHexcharsAndLeavesXcharsAlone() {
        assertThat(XText.decode("a+2Bb+3Dc+20d")).isEqualTo("a+b=c d");
    }

    @Test
    void acceptsLowerCaseHexDigits() {
        assertThat(XText.decode("+2b")).isEqualTo("+");
    }

    @Test
    void refusesTruncatedOrInvalidHexcharsAndBareEquals() {
        assertThat(XText.decodeOrNull("abc+")).isNull();
        assertThat(XText.decodeOrNull("abc+4")).isNull();
        assertThat(XText.decodeOrNull("+GG")).isNull();
        assertThat(XText.decodeOrNull("a=b")).isNull();
        assertThat(XText.decodeOrNull("a b")).isNull();
    }

    @Test
    void encodesPlusEqualsSpaceAndNonAsciiAsUpperCaseHex() {
        assertThat(XText.encode("a+b=c d\u00e9")).isEqualTo("a+2Bb+3Dc+20d+C3+A9");
    }

    @Test
    void roundTripsRandomText() {
        var random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            var text = new StringBuilder();
            for (int j = random.nextInt(20); j > 0; j--) {
                text.append((char) (random.nextInt(0x250) + 1));
            }
            String s = text.toString();
            assertThat(XText.decode(XText.encode(s))).isEqualTo(s);
        }
    }
}
