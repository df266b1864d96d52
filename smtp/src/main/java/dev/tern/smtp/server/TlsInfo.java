package dev.tern.smtp.server;

import java.util.Objects;

/**
 * The negotiated TLS parameters of a connection, as the ingress learns them from its TLS engine;
 * shown in the {@code Received:} header and carried in the envelope.
 *
 * @param protocol    e.g. {@code TLSv1.3}
 * @param cipherSuite e.g. {@code TLS_AES_256_GCM_SHA384}
 */
public record TlsInfo(String protocol, String cipherSuite) {

    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }
}
