package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.io.BareNewlinePolicy;
import dev.tern.smtp.testing.GoldenFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole dialogues: {@code session/<case>.in} is what the client sends, {@code <case>.ref} what
 * the server must answer (exact bytes, signals as {@code [SIGNAL]} lines) followed by the
 * messages the policy's sinks received. Each case runs fed line by line and byte by byte, and
 * also as one chunk when it has no STARTTLS (pipelining must not change anything);
 * {@code pipelined-*} cases run only as one chunk.
 *
 * <p>Configuration by name prefix: {@code submission-} requires STARTTLS and AUTH,
 * {@code plainauth-} offers AUTH without TLS, {@code normalize-} normalises bare newlines;
 * otherwise host {@code mx.test}, 10000-octet messages, 3 recipients, 10 errors.
 */
class ServerSessionGoldenTest {

    private static final String AREA = "session";

    static SessionConfig configFor(String name) {
        var builder = SessionConfig.builder("mx.test").maxMessageSize(10_000).maxRecipients(3).hardErrorLimit(10);
        if (name.startsWith("submission-")) {
            builder.authRequired(true).tlsRequired(true);
        }
        if (name.startsWith("plainauth-")) {
            builder.plaintextAuth(true);
        }
        if (name.startsWith("normalize-")) {
            builder.bareNewlines(BareNewlinePolicy.NORMALIZE);
        }
        return builder.build();
    }

    static String run(String name, List<byte[]> chunks) {
        var policy = new FakePolicy();
        var transcript = new Transcript();
        var session = new ServerSession(configFor(name), policy, transcript);
        session.start();
        for (byte[] chunk : chunks) {
            transcript.feed(session, chunk);
        }
        return transcript.render(policy);
    }

    @TestFactory
    Stream<DynamicTest> answersAsTheReferenceSays() {
        return GoldenFiles.cases(AREA).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            byte[] input = GoldenFiles.input(AREA, name);
            boolean pipelined = name.startsWith("pipelined-");
            String expected = run(name, pipelined ? List.of(input) : lines(input));
            GoldenFiles.assertMatchesRef(AREA, name, expected);
            if (!pipelined) {
                assertThat(run(name, bytes(input))).as("byte by byte").isEqualTo(expected);
                if (!new String(input, StandardCharsets.ISO_8859_1).toUpperCase().contains("STARTTLS")) {
                    assertThat(run(name, List.of(input))).as("as one chunk").isEqualTo(expected);
                }
            }
        }));
    }

    private static List<byte[]> lines(byte[] input) {
        var out = new ArrayList<byte[]>();
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                out.add(Arrays.copyOfRange(input, start, i + 1));
                start = i + 1;
            }
        }
        if (start < input.length) {
            out.add(Arrays.copyOfRange(input, start, input.length));
        }
        return out;
    }

    private static List<byte[]> bytes(byte[] input) {
        var out = new ArrayList<byte[]>();
        for (byte b : input) {
            out.add(new byte[] {b});
        }
        return out;
    }
}
