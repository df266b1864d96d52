package dev.tern.smtp.address;

/**
 * Internal control flow of the address scanner: carries an {@link AddressError} up to the public
 * parse methods, which turn it into a reply. Never escapes this package; no stack trace, because
 * malformed input from the network is expected, not exceptional.
 */
final class AddressException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AddressError error;

    AddressException(AddressError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    AddressError error() {
        return error;
    }
}
