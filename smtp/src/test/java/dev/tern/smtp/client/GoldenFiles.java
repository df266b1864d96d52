package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads {@code src/test/resources/<area>/<case>.in} and compares output with {@code <case>.ref}.
 *
 * <p>Run with {@code -Dtern.golden.update=true} to rewrite the {@code .ref} files from the current
 * output (review the diff before committing).
 */
public final class GoldenFiles {

    private GoldenFiles() {
    }

    public static String readText(String resource) {
        return new String(readBytes(resource), StandardCharsets.UTF_8);
    }

    public static byte[] readBytes(String resource) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assertMatches(String refResource, byte[] actual) {
        Path source = Path.of("src/test/resources", refResource);
        if (Boolean.getBoolean("tern.golden.update")) {
            try {
                Files.write(source, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (GoldenFiles.class.getResource("/" + refResource) == null) {
            throw new AssertionError("missing " + refResource + "; actual output:\n" + new String(actual, StandardCharsets.UTF_8));
        }
        assertThat(new String(actual, StandardCharsets.ISO_8859_1))
                .as(refResource)
                .isEqualTo(new String(readBytes(refResource), StandardCharsets.ISO_8859_1));
    }
}
