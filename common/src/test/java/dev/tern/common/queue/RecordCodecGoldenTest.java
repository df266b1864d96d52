package dev.tern.common.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.parse.BodyType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Queued mail must survive an upgrade: records written by the first wire format, saved under
 * {@code queue-records-v1/}, are read back field by field, and today's codec writes the same
 * headers, so a pod not yet upgraded reads what an upgraded one wrote. The one deliberate change:
 * {@code tern-body} is always written as the RFC keyword ({@code 8BITMIME}), where ingress once
 * wrote the enum name ({@code EIGHT_BIT_MIME}); both are read.
 */
class RecordCodecGoldenTest {

    static final String DIR = "queue-records-v1";

    @Test
    void everyFixtureIsPresent() {
        assertThat(V1Samples.all().keySet()).allSatisfy(name -> assertThat(fixture(name)).exists());
    }

    @Test
    void decodesEveryFieldOfTheFixtures() {
        V1Samples.all().forEach((name, expected) -> {
            var golden = GoldenRecord.read(fixture(name));
            QueuedMessage decoded = RecordCodec.fromHeaders(golden.kafkaHeaders(), golden.value());
            assertThat(decoded).as(name).usingRecursiveComparison().isEqualTo(expected);
            assertThat(decoded).as(name).isEqualTo(expected);
            assertThat(decoded.id()).as(name).isEqualTo(golden.key());
        });
    }

    @Test
    void encodesAsTheFixturesWithTheBodyTypeAsKeyword() {
        V1Samples.all().forEach((name, m) -> {
            var pr = RecordCodec.toRecord(Topics.INBOUND, m);
            var golden = GoldenRecord.read(fixture(name));
            var encoded = GoldenRecord.of(pr.key(), pr.headers(), pr.value());
            var expectedHeaders = golden.headerLines().stream().map(RecordCodecGoldenTest::bodyAsKeyword).toList();
            assertThat(encoded.headerLines()).as(name).containsExactlyElementsOf(expectedHeaders);
            assertThat(encoded.key()).as(name).isEqualTo(golden.key());
            assertThat(encoded.value()).as(name).isEqualTo(golden.value());
        });
    }

    @Test
    void ingressWroteBodyTypesAsEnumNames() {
        var golden = GoldenRecord.read(fixture("ingress-8bit"));
        assertThat(golden.headerLines()).contains(RecordCodec.BODY + ": EIGHT_BIT_MIME");
    }

    private static String bodyAsKeyword(String headerLine) {
        String prefix = RecordCodec.BODY + ": ";
        if (!headerLine.startsWith(prefix)) {
            return headerLine;
        }
        String value = headerLine.substring(prefix.length());
        BodyType type = BodyType.fromKeyword(value) != null ? BodyType.fromKeyword(value) : BodyType.valueOf(value);
        return prefix + type.keyword();
    }

    static Path fixture(String name) {
        try {
            var url = RecordCodecGoldenTest.class.getResource("/" + DIR + "/" + name + ".record");
            return url == null ? Path.of("missing", name) : Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
