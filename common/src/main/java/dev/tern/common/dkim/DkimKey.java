package dev.tern.common.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * One DKIM signing identity: the signing domain ({@code d=}), the selector ({@code s=}) whose
 * {@code <selector>._domainkey.<domain>} TXT record holds the public key, and the private key.
 *
 * @param domain    the signing domain, lower case
 * @param selector  the selector
 * @param privateKey RSA (at least 1024 bits, 2048 recommended) or Ed25519
 */
public record DkimKey(String domain, String selector, PrivateKey privateKey, Algorithm algorithm) {

    /** The {@code a=} tag values. */
    public enum Algorithm {
        RSA("rsa-sha256"), ED25519("ed25519-sha256");

        private final String tag;

        Algorithm(String tag) {
            this.tag = tag;
        }

        /** The {@code a=} value, e.g. {@code rsa-sha256}. */
        public String tag() {
            return tag;
        }
    }

    /**
     * Reads an unencrypted PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}) holding an RSA
     * or Ed25519 key. PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) files are refused with the
     * {@code openssl} command that converts them.
     *
     * @throws IllegalArgumentException naming what is wrong with the file
     */
    public static DkimKey load(String domain, String selector, Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem + ": " + e.getMessage());
        }
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(pem + " is not an unencrypted PKCS#8 key; convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in " + pem.getFileName() + "'");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(pem + " holds no '-----BEGIN PRIVATE KEY-----' block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pem + ": the key is not valid base64");
        }
        for (Algorithm a : Algorithm.values()) {
            try {
                PrivateKey key = KeyFactory.getInstance(a == Algorithm.RSA ? "RSA" : "Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(der));
                return new DkimKey(domain, selector, key, a);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException(pem + " holds neither an RSA nor an Ed25519 private key");
    }
}
