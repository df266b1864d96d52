package dev.tern.smtp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden-file cases: {@code src/test/resources/<area>/<case>.in} holds the input bytes,
 * {@code <case>.ref} what the code under test must produce, byte for byte (as Postfix's
 * {@code *.ref} files do).
 *
 * <p>Run with {@code -Dtern.golden.update=true} to (re)write the {@code .ref} files from the
 * current behaviour; then read every changed {@code .ref} before committing it.
 */
public final class GoldenFiles {

    private static final Path ROOT = Path.of("src", "test", "resources");
    private static final boolean UPDATE = Boolean.getBoolean("tern.golden.update");

    private GoldenFiles() {
    }

    /** The case names (file names without {@code .in}) of {@code area}, sorted. */
    public static List<String> cases(String area) {
        try (Stream<Path> files = Files.list(ROOT.resolve(area))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".in"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] input(String area, String name) {
        return read(ROOT.resolve(area).resolve(name + ".in"));
    }

    /** Asserts that {@code actual} equals the case's {@code .ref} (or writes it in update mode). */
    public static void assertMatchesRef(String area, String name, String actual) {
        Path ref = ROOT.resolve(area).resolve(name + ".ref");
        if (UPDATE) {
            try {
                Files.writeString(ref, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertThat(Files.exists(ref)).as("%s exists (run with -Dtern.golden.update=true to create)", ref).isTrue();
        assertThat(actual).as("%s/%s.ref", area, name).isEqualTo(new String(read(ref), StandardCharsets.UTF_8));
    }

    /**
     * Printable rendering of bytes for {@code .ref} files: printable ASCII as is, {@code \r}
     * {@code \n} {@code \t} {@code \\} escaped, everything else {@code \xNN}.
     */
    public static String escape(byte[] bytes) {
        var out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 32 && c < 127) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02X", c));
                    }
                }
            }
        }
        return out.toString();
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
