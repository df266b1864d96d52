package dev.tern.ingress.listen;

/**
 * The three SMTP roles a port can have (RFC 6409, RFC 8314): MTA relay on 25 with optional
 * STARTTLS, submission on 587 with STARTTLS and AUTH required, implicit-TLS submission on 465.
 */
public enum Listener {
    SMTP("smtp", false, false),
    SUBMISSION("submission", true, false),
    SMTPS("smtps", true, true);

    private final String label;
    private final boolean authRequired;
    private final boolean implicitTls;

    Listener(String label, boolean authRequired, boolean implicitTls) {
        this.label = label;
        this.authRequired = authRequired;
        this.implicitTls = implicitTls;
    }

    public String label() {
        return label;
    }

    public boolean authRequired() {
        return authRequired;
    }

    public boolean implicitTls() {
        return implicitTls;
    }
}
