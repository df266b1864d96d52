package dev.tern.common.admin;

import java.util.Objects;

/**
 * One line of the admin tokens file: the SHA-256 of a bearer token, what it may do, and the name
 * that audit records and log lines show instead of the token.
 *
 * @param sha256 the 32-byte SHA-256 digest of the token's UTF-8 bytes
 * @param role   what the token may do
 * @param name   who holds it ({@code ci-deployer}, {@code alice}); never the token itself
 */
public record AdminToken(byte[] sha256, AdminRole role, String name) {

    public AdminToken {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(name, "name");
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "AdminToken[" + role.label() + " " + name + "]";
    }
}
