package dev.tern.ternctl;

/**
 * A command that did not do what was asked, with the exit code scripts see
 * ({@link ExitCodes}) and the one-line message printed on standard error.
 */
class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
