package dev.tern.ingress.listen;

/**
 * The SMTP roles a port can have (RFC 6409, RFC 8314): MTA relay on 25 with optional STARTTLS,
 * submission on 587 with STARTTLS and AUTH required, implicit-TLS submission on 465, and the proxy
 * listener that relays each session live to an upstream server instead of queueing
 * (docs/ARCHITECTURE.md, "SMTP proxy mode").
 */
public enum Listener {
    SMTP("smtp", false, false),
    SUBMISSION("submission", true, false),
    SMTPS("smtps", true, true),
    PROXY("proxy", false, false);

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
