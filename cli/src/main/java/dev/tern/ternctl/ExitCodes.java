package dev.tern.ternctl;

/**
 * ternctl's exit codes, a contract with scripts (README, "Operating Tern"):
 * <ul>
 *   <li>{@value #OK}: done (for {@code --dry-run}: counted);</li>
 *   <li>{@value #ERROR}: the server refused the request (400, 5xx) or the command line is wrong;</li>
 *   <li>{@value #NOT_FOUND}: what was named does not exist (404: no such message, trace,
 *       suppression entry, quarantined message);</li>
 *   <li>{@value #UNREACHABLE}: the service could not be reached, or the token is missing or not
 *       accepted (401, 403).</li>
 * </ul>
 */
final class ExitCodes {

    static final int OK = 0;
    static final int ERROR = 1;
    static final int NOT_FOUND = 2;
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
