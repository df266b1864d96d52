package dev.tern.smtp.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every response decoded from golden bytes, fed whole and split at every byte. */
class ResponseDecoderTest {

    /** Golden packets (hex) and what each decodes to. */
    private static final List<Map.Entry<String, MilterResponse>> GOLDEN = List.of(
            Map.entry("0000000d4f" + "00000006" + "00000021" + "00000400", new MilterResponse.Negotiate(6, 0x21, 0x400,
                    Map.of())),
            Map.entry("000000174f" + "00000006" + "00000001" + "00000000" + "00000001" + "7b695f617d00",
                    new MilterResponse.Negotiate(6, 1, 0, Map.of(1, "{i_a}"))),
            Map.entry("0000000163", new MilterResponse.Continue()),
            Map.entry("0000000161", new MilterResponse.Accept()),
            Map.entry("0000000172", new MilterResponse.Reject()),
            Map.entry("0000000174", new MilterResponse.Tempfail()),
            Map.entry("0000000164", new MilterResponse.Discard()),
            Map.entry("0000000170", new MilterResponse.Progress()),
            Map.entry("0000000173", new MilterResponse.Skip()),
            Map.entry("0000000134", new MilterResponse.Shutdown('4')),
            Map.entry("0000000f79" + "35353420352e372e312047544200", new MilterResponse.ReplyCode("554 5.7.1 GTB")),
            Map.entry("0000000768" + "582d4100" + "7600", new MilterResponse.AddHeader("X-A", "v")),
            Map.entry("0000000a6d" + "00000002" + "582d4100" + "00", new MilterResponse.ChangeHeader(2, "X-A", "")),
            Map.entry("0000000b69" + "00000000" + "582d4100" + "7600", new MilterResponse.InsertHeader(0, "X-A", "v")),
            Map.entry("0000000f2b" + "3c6e6577406578616d706c653e00", new MilterResponse.AddRecipient("<new@example>", List.of())),
            Map.entry("000000052d" + "3c6f3e00", new MilterResponse.DeleteRecipient("<o>")),
            Map.entry("0000000932" + "3c6e3e00" + "4e3d5800", new MilterResponse.AddRecipient("<n>", List.of("N=X"))),
            Map.entry("0000000771" + "766972757300", new MilterResponse.Quarantine("virus")),
            Map.entry("0000000565" + "3c663e00" + "", new MilterResponse.ChangeFrom("<f>", List.of())));

    @Test
    void everyResponseDecodesFedWholeAndSplitAtEveryByte() {
        for (var g : GOLDEN) {
            byte[] bytes = HexFormat.of().parseHex(fixLength(g.getKey()));
            MilterResponse expected = g.getValue();
            for (int split = 0; split <= bytes.length; split++) {
                var d = new ResponseDecoder();
                var out = new ArrayList<MilterResponse>(d.feed(java.util.Arrays.copyOfRange(bytes, 0, split)));
                assertThat(d.inPacket()).isEqualTo(split > 0 && split < bytes.length);
                out.addAll(d.feed(java.util.Arrays.copyOfRange(bytes, split, bytes.length)));
                assertThat(out).as(g.getKey() + " split at " + split).usingRecursiveFieldByFieldElementComparator()
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void replacedBodyChunksKeepTheirBytes() {
        var d = new ResponseDecoder();
        var r = (MilterResponse.ReplaceBody) d.feed(HexFormat.of().parseHex("0000000462" + "000d0a")).get(0);
        assertThat(r.chunk()).containsExactly(0, '\r', '\n');
    }

    @Test
    void allPacketsFedOneByteAtATimeComeOutInOrder() {
        var all = new ByteArrayOutputStream();
        var expected = new ArrayList<MilterResponse>();
        for (var g : GOLDEN) {
            byte[] bytes = HexFormat.of().parseHex(fixLength(g.getKey()));
            all.writeBytes(bytes);
            expected.add(ResponseDecoder.decode(java.util.Arrays.copyOfRange(bytes, 4, bytes.length)));
        }
        var d = new ResponseDecoder();
        var out = new ArrayList<MilterResponse>();
        for (byte b : all.toByteArray()) {
            out.addAll(d.feed(new byte[] {b}));
        }
        assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
    }

    @Test
    void malformedPacketsFailAndTheDecoderStaysFailed() {
        var d = new ResponseDecoder(100);
        assertThatThrownBy(() -> d.feed(HexFormat.of().parseHex("0000006563"))).isInstanceOf(MilterProtocolException.class)
                .hasMessageContaining("bad packet length 101");
        assertThatThrownBy(() -> d.feed(new byte[] {0})).isInstanceOf(MilterProtocolException.class);
        assertThatThrownBy(() -> new ResponseDecoder().feed(HexFormat.of().parseHex("000000017a")))
                .hasMessageContaining("unknown reply code 'z'");
        assertThatThrownBy(() -> new ResponseDecoder().feed(HexFormat.of().parseHex("0000000368" + "5800")))
                .hasMessageContaining("NUL-terminated");
        assertThatThrownBy(() -> new ResponseDecoder().feed(HexFormat.of().parseHex("000000026300")))
                .hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> new ResponseDecoder().feed(HexFormat.of().parseHex("00000000")))
                .hasMessageContaining("bad packet length 0");
    }

    /** The goldens spell their length; recompute it so a typo there fails loudly as a mismatch below. */
    private static String fixLength(String hex) {
        int length = hex.length() / 2 - 4;
        String declared = hex.substring(0, 8);
        assertThat(Integer.parseInt(declared, 16)).as("declared length of " + hex).isEqualTo(length);
        return hex;
    }
}
