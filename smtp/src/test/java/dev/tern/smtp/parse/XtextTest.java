package dev.tern.smtp.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XtextTest {

    @Test
    void decodesHexcharsAndLeavesXcharsAlone() {
        assertThat(Xtext.decode("a+2Bb+3Dc+20d")).isEqualTo("a+b=c d");
    }

    @Test
    void acceptsLowerCaseHexDigits() {
        assertThat(Xtext.decode("+2b")).isEqualTo("+");
    }

    @Test
    void refusesTruncatedOrInvalidHexcharsAndBareEquals() {
        assertThat(Xtext.decode("abc+")).isNull();
        assertThat(Xtext.decode("abc+4")).isNull();
        assertThat(Xtext.decode("+GG")).isNull();
        assertThat(Xtext.decode("a=b")).isNull();
        assertThat(Xtext.decode("a b")).isNull();
    }

    @Test
    void encodesPlusEqualsSpaceAndNonAsciiAsUpperCaseHex() {
        assertThat(Xtext.encode("a+b=c d\u00e9")).isEqualTo("a+2Bb+3Dc+20d+C3+A9");
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
            assertThat(Xtext.decode(Xtext.encode(s))).isEqualTo(s);
        }
    }
}
