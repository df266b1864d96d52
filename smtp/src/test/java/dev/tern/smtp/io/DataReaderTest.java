package dev.tern.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named end-of-data and smuggling rules; the byte-exact corpus is in {@link DataReaderGoldenTest}. */
class DataReaderTest {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private DataReader reader(BareNewlinePolicy policy) {
        return new DataReader(new DataOptions(1 << 20, policy, 50), body::writeBytes);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void endsOnCrLfDotCrLf() {
        DataReader reader = reader(BareNewlinePolicy.REJECT);
        assertThat(reader.feed(bytes("Hi\r\n.\r\n"))).isTrue();
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("Hi\r\n");
        assertThat(reader.summary().rejection()).isEmpty();
    }

    @Test
    void endsAnEmptyMessageOnDotCrLfRightAfter354() {
        DataReader reader = reader(BareNewlinePolicy.REJECT);
        assertThat(reader.feed(bytes(".\r\n"))).isTrue();
        assertThat(body.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a\n.\nb", "a\n.\r\nb", "a\r.\rb", "a\r\n.\nb", "a\n.\rb", "a\r.\nb", "a\r\n.\rb",
        "a\r.\r\nb", "a\r\n.\r\rb", "a\r\n. \r\nb", "a\r\n.x\r\nb"})
    void neverEndsOnASmugglingSequence(String sequence) {
        for (BareNewlinePolicy policy : BareNewlinePolicy.values()) {
            DataReader reader = reader(policy);
            assertThat(reader.feed(bytes(sequence))).as("%s under %s", sequence, policy).isFalse();
            assertThat(reader.feed(bytes("\r\n.\r\n"))).isTrue();
        }
    }

    @Test
    void rejectsBareLfBeforeDot() {
        DataReader reader = reader(BareNewlinePolicy.REJECT);
        reader.feed(bytes("a\n.\nMAIL FROM:<x@y>\r\n.\r\n"));
        assertThat(reader.isDone()).isTrue();
        assertThat(reader.summary().rejection()).hasValueSatisfying(r -> assertThat(r.toString())
                .startsWith("550 5.5.2"));
    }

    @Test
    void normalizesBareLfToCrLfWhenConfigured() {
        DataReader reader = reader(BareNewlinePolicy.NORMALIZE);
        reader.feed(bytes("a\nb\r\n.\r\n"));
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("a\r\nb\r\n");
        assertThat(reader.summary().bareNewlines()).isTrue();
        assertThat(reader.summary().rejection()).isEmpty();
    }

    @Test
    void endsAtEveryPossibleSplitOfTheEndSequence() {
        String message = "x\r\n.\r\n";
        for (int a = 0; a <= message.length(); a++) {
            for (int b = a; b <= message.length(); b++) {
                body.reset();
                DataReader reader = reader(BareNewlinePolicy.REJECT);
                boolean done = reader.feed(bytes(message.substring(0, a)))
                        || reader.feed(bytes(message.substring(a, b)))
                        || reader.feed(bytes(message.substring(b)));
                assertThat(done).as("split %d/%d", a, b).isTrue();
                assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("x\r\n");
            }
        }
    }

    @Test
    void keepsScanningPastTheSizeLimitButStopsEmitting() {
        var reader = new DataReader(new DataOptions(4, BareNewlinePolicy.REJECT, 50), body::writeBytes);
        assertThat(reader.feed(bytes("12345678\r\n.\r\nQUIT\r\n".substring(0, 13)))).isTrue();
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("1234");
        assertThat(reader.summary().octets()).isEqualTo(10);
        assertThat(reader.summary().rejection()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(552));
    }

    @Test
    void emitsLargeBodiesInBoundedChunks() {
        var sizes = new java.util.ArrayList<Integer>();
        var reader = new DataReader(DataOptions.DEFAULTS, chunk -> sizes.add(chunk.length));
        reader.feed(ByteBuffer.wrap(new byte[100_000]));
        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8192));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100_000);
    }

    @Test
    void refusesInputAfterTheEnd() {
        DataReader reader = reader(BareNewlinePolicy.REJECT);
        reader.feed(bytes(".\r\n"));
        assertThatThrownBy(() -> reader.feed(bytes("x"))).isInstanceOf(IllegalStateException.class);
    }
}
