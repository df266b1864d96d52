package dev.tern.smtp.address;

/**
 * Which envelope slot an address is parsed for; it picks the RFC 3463 status code of a syntax
 * failure: {@code X.1.7} (bad sender's mailbox syntax) for the reverse-path, {@code X.1.3} (bad
 * destination mailbox syntax) for a forward-path, as Postfix's smtpd does.
 */
public enum AddressRole {
    SENDER("5.1.7", "sender"),
    RECIPIENT("5.1.3", "recipient");

    private final String syntaxStatus;
    private final String noun;

    AddressRole(String syntaxStatus, String noun) {
        this.syntaxStatus = syntaxStatus;
        this.noun = noun;
    }

    /** The enhanced status code for a malformed address in this role. */
    public String syntaxStatus() {
        return syntaxStatus;
    }

    /** "sender" or "recipient", for reply texts. */
    public String noun() {
        return noun;
    }
}
