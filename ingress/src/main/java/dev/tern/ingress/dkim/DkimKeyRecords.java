package dev.tern.ingress.dkim;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where the verifier gets public key records: the TXT records of a DNS name, asynchronously.
 * Implemented over the shared resolver; the verifier never blocks on it.
 */
@FunctionalInterface
public interface DkimKeyRecords {

    /**
     * The TXT records at {@code name} ({@code <selector>._domainkey.<domain>}, no trailing dot).
     * A stage completed exceptionally counts as a temporary failure.
     */
    CompletionStage<KeyLookup> txt(String name);

    /** What a key lookup found. */
    sealed interface KeyLookup {
    }

    /** TXT records exist; each element is one record with its character-strings concatenated. */
    record Found(List<String> records) implements KeyLookup {
        public Found {
            records = List.copyOf(records);
        }
    }

    /** NXDOMAIN, or the name has no TXT record: a permanent "no key". */
    record None() implements KeyLookup {
    }

    /** Timeout, SERVFAIL or another failure that may go away: the result is {@code temperror}. */
    record TemporaryFailure(String reason) implements KeyLookup {
    }
}
