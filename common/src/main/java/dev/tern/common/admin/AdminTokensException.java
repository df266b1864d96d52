package dev.tern.common.admin;

/**
 * The admin tokens file cannot be read or has a malformed line. The message starts with the
 * config key ({@code tern.admin.tokens-file}) and names the file and line, so the operator can find it.
 */
public class AdminTokensException extends RuntimeException {

    public static final String KEY = "tern.admin.tokens-file";

    public AdminTokensException(String problem) {
        super(KEY + ": " + problem);
    }
}
