package dev.tern.ingress.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CharRunsTest {

    @Test
    void eachRunBecomesOneSpace() {
        assertThat(CharRuns.collapse("a \t b\t\tc", " \t")).isEqualTo("a b c");
        assertThat(CharRuns.collapse("one\r\ntwo\nthree\r", "\r\n")).isEqualTo("one two three ");
    }

    @Test
    void textWithoutTheCharactersIsUnchanged() {
        assertThat(CharRuns.collapse("plain", " \t")).isEqualTo("plain");
        assertThat(CharRuns.collapse("", " \t")).isEmpty();
    }
}
