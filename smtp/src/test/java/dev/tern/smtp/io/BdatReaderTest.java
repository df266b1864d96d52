package dev.tern.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BdatReaderTest {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsExactlyTheAnnouncedOctetsAndLeavesTheRest() {
        var reader = new BdatReader(DataOptions.DEFAULTS, body::writeBytes);
        reader.startChunk(7);
        ByteBuffer in = bytes("a\n.\r\n.\rQUIT\r\n");
        assertThat(reader.feed(in)).isTrue();
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("a\n.\r\n.\r");
        assertThat(in.remaining()).isEqualTo(6);
    }

    @Test
    void completesAChunkSpreadOverSeveralReads() {
        var reader = new BdatReader(DataOptions.DEFAULTS, body::writeBytes);
        reader.startChunk(5);
        assertThat(reader.feed(bytes("ab"))).isFalse();
        assertThat(reader.remaining()).isEqualTo(3);
        assertThat(reader.feed(bytes("cde"))).isTrue();
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("abcde");
    }

    @Test
    void completesAZeroOctetChunkAtOnce() {
        var reader = new BdatReader(DataOptions.DEFAULTS, body::writeBytes);
        reader.startChunk(0);
        assertThat(reader.feed(ByteBuffer.allocate(0))).isTrue();
    }

    @Test
    void countsSizeAndHopsAcrossChunks() {
        var reader = new BdatReader(new DataOptions(20, BareNewlinePolicy.REJECT, 2), body::writeBytes);
        reader.startChunk(13);
        reader.feed(bytes("Received: a\r\n"));
        reader.startChunk(13);
        reader.feed(bytes("Received: b\r\n"));
        assertThat(reader.summary().receivedHeaders()).isEqualTo(2);
        assertThat(reader.summary().sizeExceeded()).isTrue();
        assertThat(body.size()).isEqualTo(20);
    }

    @Test
    void discardingReaderConsumesButKeepsNothing() {
        BdatReader reader = BdatReader.discarding();
        reader.startChunk(4);
        ByteBuffer in = bytes("MAILxx");
        assertThat(reader.feed(in)).isTrue();
        assertThat(in.remaining()).isEqualTo(2);
    }
}
