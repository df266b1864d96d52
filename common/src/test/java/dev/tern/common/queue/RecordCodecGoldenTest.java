package dev.tern.common.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Queued mail must survive an upgrade: records written by the first wire format, saved under
 * {@code queue-records-v1/}, are read back field by field, and today's codec writes the same bytes.
 */
class RecordCodecGoldenTest {

    static final String DIR = "queue-records-v1";

    @Test
    void everyFixtureIsPresent() {
        assertThat(V1Samples.all().keySet()).allSatisfy(name -> assertThat(fixture(name)).exists());
    }

    @Test
    void encodesExactlyAsTheFixtures() {
        V1Samples.all().forEach((name, m) -> {
            var pr = RecordCodec.toRecord(Topics.INBOUND, m);
            var golden = GoldenRecord.read(fixture(name));
            var encoded = GoldenRecord.of(pr.key(), pr.headers(), pr.value());
            assertThat(encoded.headerLines()).as(name).containsExactlyElementsOf(golden.headerLines());
            assertThat(encoded.key()).as(name).isEqualTo(golden.key());
            assertThat(encoded.value()).as(name).isEqualTo(golden.value());
        });
    }

    @Test
    void decodesTheFixtures() {
        V1Samples.all().forEach((name, m) -> {
            var golden = GoldenRecord.read(fixture(name));
            assertThat(RecordCodec.fromHeaders(golden.kafkaHeaders(), golden.value())).as(name).isEqualTo(m);
        });
    }

    static Path fixture(String name) {
        try {
            var url = RecordCodecGoldenTest.class.getResource("/" + DIR + "/" + name + ".record");
            return url == null ? Path.of("missing", name) : Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the fixtures with the codec of this version: {@code main <resources dir>}. Run once per format. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, QueuedMessage> e : V1Samples.all().entrySet()) {
            var pr = RecordCodec.toRecord(Topics.INBOUND, e.getValue());
            try {
                Files.writeString(dir.resolve(e.getKey() + ".record"),
                        GoldenRecord.of(pr.key(), pr.headers(), pr.value()).toText(), StandardCharsets.US_ASCII);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }
}
