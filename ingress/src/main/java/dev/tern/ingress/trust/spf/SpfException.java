package dev.tern.ingress.trust.spf;

/**
 * Ends an SPF evaluation with {@link SpfResult#TEMPERROR} (DNS timeout or SERVFAIL) or
 * {@link SpfResult#PERMERROR} (syntax error, a limit exceeded, an include without a record).
 * Thrown inside the evaluation's stages and turned into a verdict at the top; never escapes.
 */
final class SpfException extends RuntimeException {

    private final SpfResult result;

    private SpfException(SpfResult result, String message) {
        super(message, null, false, false);
        this.result = result;
    }

    static SpfException permerror(String message) {
        return new SpfException(SpfResult.PERMERROR, message);
    }

    static SpfException temperror(String message) {
        return new SpfException(SpfResult.TEMPERROR, message);
    }

    SpfResult result() {
        return result;
    }
}
