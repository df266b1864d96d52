package dev.tern.ingress.dkim;

/**
 * A signature or key record that cannot be used: its reason becomes the {@code permerror} (or
 * {@code fail}) reason of the signature's result. Never escapes the dkim package.
 */
final class DkimPermanentError extends RuntimeException {

    DkimPermanentError(String reason) {
        super(reason, null, false, false);
    }
}
