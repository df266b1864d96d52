package dev.tern.smtp.io;

import java.util.Arrays;
import java.util.Objects;

/** What {@link CommandLineReader} delivers for one line: its bytes, or why it was refused. */
public sealed interface LineResult {

    /** A well-formed line, without its CRLF. */
    record Line(byte[] bytes) implements LineResult {
        public Line {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Line that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Line[" + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) + "]";
        }
    }

    /** A refused line; the reader has already skipped past its end. */
    record Refused(LineProblem problem) implements LineResult {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
