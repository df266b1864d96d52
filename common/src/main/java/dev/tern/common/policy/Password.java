package dev.tern.common.policy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A smarthost password, read from a route's {@code auth-secret} file (in Kubernetes a mounted
 * Secret). {@link #toString()} never shows it, so a policy, a route or an error that prints this
 * record cannot leak it; only the SMTP client reads {@link #value()}. Immutable.
 */
public record Password(String value) {

    public Password {
        Objects.requireNonNull(value, "value");
    }

    /**
     * The password in {@code file} (UTF-8), without the line ending that {@code echo} or an editor
     * leaves at its end; failures name {@code key}, never the content.
     */
    static Password read(Path file, String key) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException(key, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(key, file + " is not UTF-8 text");
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        String password = text.substring(0, end);
        if (password.isEmpty()) {
            throw new PolicyException(key, file + " is empty");
        }
        if (password.indexOf('\0') >= 0 || password.indexOf('\n') >= 0) {
            throw new PolicyException(key, file + " must hold the password alone, on one line, without NUL");
        }
        return new Password(password);
    }

    @Override
    public String toString() {
        return "Password[(hidden)]";
    }
}
