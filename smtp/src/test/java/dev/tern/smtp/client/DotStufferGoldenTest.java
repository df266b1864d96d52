package dev.tern.smtp.client;

import org.junit.jupiter.api.Test;

/** {@code dotstuff/<case>.in} raw message, {@code <case>.ref} the exact DATA wire form incl. terminator. */
class DotStufferGoldenTest {

    private static void golden(String name) {
        GoldenFiles.assertMatches("dotstuff/" + name + ".ref", DotStuffer.encodeAll(GoldenFiles.readBytes("dotstuff/" + name + ".in")));
    }

    @Test
    void doublesLeadingDots() {
        golden("leading-dots");
    }

    @Test
    void turnsBareLfIntoCrlf() {
        golden("bare-lf");
    }

    @Test
    void addsFinalCrlfBeforeTerminator() {
        golden("missing-final-crlf");
    }

    @Test
    void defusesSmugglingLineEndings() {
        golden("smuggling-attempt");
    }

    @Test
    void sendsOnlyTerminatorForEmptyMessage() {
        golden("empty");
    }
}
