package dev.tern.smtp.server;

/** Control signals from a {@link ServerSession} to the connection that carries it. */
public enum Signal {
    /**
     * The 220 reply to STARTTLS has been sent: start the TLS handshake now (as server) and call
     * {@link ServerSession#tlsStarted(TlsInfo)} when it is done. Bytes that were pipelined after
     * STARTTLS have been discarded (RFC 3207 §4.2, CVE-2011-0411).
     */
    START_TLS,
    /** The last reply has been sent (221, 421, or a refused greeting): close the connection. */
    CLOSE,
    /**
     * The session waits for an asynchronous decision (policy check, queue write); stop reading
     * from the socket until {@link #RESUME_INPUT}. Bytes that still arrive are buffered.
     */
    PAUSE_INPUT,
    /** The decision arrived; read again. */
    RESUME_INPUT
}
