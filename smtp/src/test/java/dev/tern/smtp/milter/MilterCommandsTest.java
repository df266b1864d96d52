package dev.tern.smtp.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden encodings of every command the MTA sends, byte for byte. */
class MilterCommandsTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void optionNegotiationOffersVersionSixOurActionsAndProtocolBits() {
        assertThat(hex(MilterCommands.negotiate(6, 0x1bf, 0x1fffff)))
                .isEqualTo("0000000d" + "4f" + "00000006" + "000001bf" + "001fffff");
        assertThat(hex(Negotiated.offer())).isEqualTo("0000000d4f00000006" + String.format("%08x%08x",
                MilterProtocol.ACTIONS_OFFERED, MilterProtocol.PROTOCOL_OFFERED));
    }

    @Test
    void macrosNameTheirCommandThenNulTerminatedPairs() {
        var m = new LinkedHashMap<String, String>();
        m.put("j", "mx");
        m.put("{daemon_name}", "");
        assertThat(hex(MilterCommands.macros('C', m)))
                .isEqualTo("00000016" + "44" + "43" + "6a00" + "6d7800" + "7b6461656d6f6e5f6e616d657d00" + "00");
    }

    @Test
    void connectCarriesFamilyPortAndAddress() throws Exception {
        assertThat(hex(MilterCommands.connect("h", InetAddress.getByName("192.0.2.1"), 25)))
                .isEqualTo("00000010" + "43" + "6800" + "34" + "0019" + "3139322e302e322e3100");
        assertThat(hex(MilterCommands.connect("h", InetAddress.getByName("::1"), 0x1234)))
                .isEqualTo("00000016" + "43" + "6800" + "36" + "1234" + "303a303a303a303a303a303a303a3100");
        assertThat(hex(MilterCommands.connect("h", null, 0))).isEqualTo("00000004" + "43" + "6800" + "55");
    }

    @Test
    void envelopeCommandsAreNulTerminatedArguments() {
        assertThat(hex(MilterCommands.helo("a"))).isEqualTo("00000003486100");
        assertThat(hex(MilterCommands.mail("<a>", List.of("SIZE=1")))).isEqualTo("0000000c" + "4d" + "3c613e00"
                + "53495a453d3100");
        assertThat(hex(MilterCommands.rcpt("<b>", List.of()))).isEqualTo("00000005" + "52" + "3c623e00");
        assertThat(hex(MilterCommands.data())).isEqualTo("0000000154");
    }

    @Test
    void headerBodyAndEndCommands() {
        assertThat(hex(MilterCommands.header("To", "b"))).isEqualTo("00000006" + "4c" + "546f00" + "6200");
        assertThat(hex(MilterCommands.endOfHeaders())).isEqualTo("000000014e");
        assertThat(MilterCommands.body(new byte[0])).isEmpty();
        assertThat(hex(MilterCommands.body("hi\r\n".getBytes()).get(0))).isEqualTo("00000005" + "42" + "68690d0a");
        assertThat(hex(MilterCommands.endOfBody())).isEqualTo("0000000145");
        assertThat(hex(MilterCommands.abort())).isEqualTo("0000000141");
        assertThat(hex(MilterCommands.quit())).isEqualTo("0000000151");
        assertThat(hex(MilterCommands.quitNewConnection())).isEqualTo("000000014b");
    }

    @Test
    void bodiesAreCutIntoChunksOfAtMost65535Bytes() {
        var chunks = MilterCommands.body(new byte[65535 * 2 + 1]);
        assertThat(chunks).extracting(c -> c.length).containsExactly(65535 + 5, 65535 + 5, 1 + 5);
        assertThat(hex(java.util.Arrays.copyOf(chunks.get(0), 5))).isEqualTo("0001000042");
    }
}
