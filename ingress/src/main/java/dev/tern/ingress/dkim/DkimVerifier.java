package dev.tern.ingress.dkim;

import dev.tern.ingress.dkim.DkimCanonicalizer.Field;
import dev.tern.ingress.dkim.DkimKeyRecords.Found;
import dev.tern.ingress.dkim.DkimKeyRecords.KeyLookup;
import dev.tern.ingress.dkim.DkimKeyRecords.None;
import dev.tern.ingress.dkim.DkimKeyRecords.TemporaryFailure;
import dev.tern.ingress.dkim.DkimResult.Result;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Verifies every {@code DKIM-Signature} of a received message (RFC 6376 §6, RFC 8463 Ed25519,
 * RFC 8301 algorithm rules) and reports one {@link DkimResult} per signature, in header order.
 *
 * <p>What needs no key is decided first and synchronously on the caller's thread (syntax,
 * algorithm, {@code x=}/{@code t=}, body hash: the body is walked once per signature, with constant
 * memory). Only signatures still in the running cost a key lookup; lookups of the same name are
 * shared, and the final signature checks run on the thread that completes the last lookup.
 * Callers run {@link #verify} off the event loop: hashing a large body is CPU work.
 */
public final class DkimVerifier {

    /** Default tolerance for a signer's clock running ahead of ours ({@code t=} in the future). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    private final DkimKeyRecords keys;
    private final DkimKeyCache parsedKeys = new DkimKeyCache();
    private final Clock clock;
    private final Duration clockSkew;

    public DkimVerifier(DkimKeyRecords keys, Clock clock, Duration clockSkew) {
        this.keys = keys;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * The verdicts on all signatures of {@code message} (a whole RFC 5322 message with CRLF line
     * ends, as received); empty when it has none ({@code dkim=none}). A failed or exceptionally
     * completed key lookup becomes a {@code temperror} result, not a failed stage. A lookup that
     * never completes keeps the stage open: the key source owns the timeout.
     */
    public CompletionStage<List<DkimResult>> verify(byte[] message) {
        int headerEnd = DkimCanonicalizer.headerEnd(message);
        List<Field> headers = DkimCanonicalizer.headers(message, headerEnd);
        long now = clock.instant().getEpochSecond();
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        Map<String, CompletableFuture<KeyLookup>> lookups = new HashMap<>();
        for (Field field : headers) {
            if (!field.key().equals("dkim-signature")) {
                continue;
            }
            DkimSignature signature;
            try {
                signature = DkimSignature.parse(field.value());
            } catch (DkimPermanentError e) {
                results.add(CompletableFuture.completedFuture(malformed(field, e.getMessage())));
                continue;
            }
            DkimResult early = withoutKey(signature, message, headerEnd, now);
            if (early != null) {
                results.add(CompletableFuture.completedFuture(early));
                continue;
            }
            String name = signature.selector() + "._domainkey." + signature.domain();
            CompletableFuture<KeyLookup> lookup = lookups.computeIfAbsent(name, this::lookup);
            results.add(lookup.thenApply(found -> withKey(signature, field, headers, found)));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<KeyLookup> lookup(String name) {
        CompletionStage<KeyLookup> stage;
        try {
            stage = keys.txt(name);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new TemporaryFailure(String.valueOf(e.getMessage())));
        }
        return stage.toCompletableFuture().exceptionally(e -> new TemporaryFailure(
                "key lookup failed: " + (e.getCause() != null ? e.getCause() : e).getMessage()));
    }

    /** The verdict reached without the key, or null when the key decides. */
    private DkimResult withoutKey(DkimSignature s, byte[] message, int bodyStart, long now) {
        String hash = hashOf(s.algorithm());
        if (hash == null) {
            return DkimResult.of(Result.PERMERROR, "unsupported algorithm a=" + s.algorithm(), s, false);
        }
        if (s.expiry() >= 0 && s.expiry() < now) {
            return DkimResult.of(Result.FAIL, "signature expired", s, false);
        }
        if (s.timestamp() >= 0 && s.timestamp() > now + clockSkew.toSeconds()) {
            return DkimResult.of(Result.FAIL, "signature timestamp in the future", s, false);
        }
        var body = new DkimBodyHasher(s.bodyCanon(), digest(hash), s.bodyLength());
        body.update(message, bodyStart, message.length - bodyStart);
        byte[] bodyHash = body.finish();
        if (s.bodyLength() > body.canonicalLength()) {
            return DkimResult.of(Result.PERMERROR, "l= is longer than the body", s, false);
        }
        if (!MessageDigest.isEqual(bodyHash, s.bodyHash())) {
            return DkimResult.of(Result.FAIL, "body hash mismatch", s, false);
        }
        return null;
    }

    private DkimResult withKey(DkimSignature s, Field field, List<Field> headers, KeyLookup lookup) {
        if (lookup instanceof TemporaryFailure t) {
            return DkimResult.of(Result.TEMPERROR, t.reason(), s, false);
        }
        if (lookup instanceof None || ((Found) lookup).records().isEmpty()) {
            return DkimResult.of(Result.PERMERROR, "no key for signature", s, false);
        }
        DkimKeyRecord key = null;
        String keyText = null;
        String keyError = null;
        for (String record : ((Found) lookup).records()) {
            try {
                key = parsedKeys.record(record);
                keyText = record;
                break;
            } catch (DkimPermanentError e) {
                keyError = e.getMessage();
            }
        }
        if (key == null) {
            return DkimResult.of(Result.PERMERROR, "key syntax error: " + keyError, s, false);
        }
        try {
            return check(s, key, keyText, field, headers);
        } catch (DkimPermanentError e) {
            return DkimResult.of(Result.PERMERROR, e.getMessage(), s, key.testing());
        }
    }

    private DkimResult check(DkimSignature s, DkimKeyRecord key, String keyText, Field field, List<Field> headers) {
        if (key.revoked()) {
            return DkimResult.of(Result.PERMERROR, "key revoked", s, key.testing());
        }
        String keyType = s.algorithm().substring(0, s.algorithm().indexOf('-'));
        if (!key.keyType().equals(keyType)) {
            return DkimResult.of(Result.PERMERROR, "key type k=" + key.keyType() + " does not match a="
                    + s.algorithm(), s, key.testing());
        }
        String hash = hashOf(s.algorithm());
        if (!key.allowsHash(hash)) {
            return DkimResult.of(Result.PERMERROR, "key does not allow " + hash, s, key.testing());
        }
        if (!key.servesEmail()) {
            return DkimResult.of(Result.PERMERROR, "key is not for email (s=)", s, key.testing());
        }
        String identityDomain = s.identity().substring(s.identity().lastIndexOf('@') + 1);
        if (key.strictIdentity() && !identityDomain.equalsIgnoreCase(s.domain())) {
            return DkimResult.of(Result.PERMERROR, "key requires i= in exactly d= (t=s)", s, key.testing());
        }
        boolean valid = DkimSignatureCheck.verifies(s, parsedKeys.publicKey(keyText), hash,
                DkimSignatureCheck.signedData(s, field, headers));
        if (!valid) {
            return DkimResult.of(key.testing() ? Result.NEUTRAL : Result.FAIL, "signature mismatch", s,
                    key.testing());
        }
        if (hash.equals("sha1")) {
            return DkimResult.of(Result.POLICY, "rsa-sha1 is not acceptable (RFC 8301)", s, key.testing());
        }
        return DkimResult.of(Result.PASS, null, s, key.testing());
    }

    /** A result for a signature that does not parse, with whatever d= and s= could be read. */
    private static DkimResult malformed(Field field, String reason) {
        String domain = null;
        String selector = null;
        try {
            DkimTagList tags = DkimTagList.parse(field.value());
            domain = tags.value("d").orElse(null);
            selector = tags.value("s").orElse(null);
        } catch (DkimPermanentError e) {
            // nothing more to report than the reason
        }
        return new DkimResult(Result.PERMERROR, reason, domain, selector, null, null, null, false);
    }

    /** {@code sha256}/{@code sha1} for a supported {@code a=}, null otherwise. */
    private static String hashOf(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha256", "ed25519-sha256" -> "sha256";
            case "rsa-sha1" -> "sha1";
            default -> null;
        };
    }

    static MessageDigest digest(String hash) {
        try {
            return MessageDigest.getInstance(hash.equals("sha1") ? "SHA-1" : "SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
