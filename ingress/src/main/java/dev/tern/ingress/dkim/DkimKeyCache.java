package dev.tern.ingress.dkim;

import dev.tern.common.memo.BoundedMemo;
import java.security.PublicKey;

/**
 * Parsed key records and decoded public keys by the TXT text they came from. The DNS answer is
 * already cached; this saves parsing the record and decoding the key (DER, big integers) for
 * every message a busy signer sends. Keys are few (one per selector), so the bound is generous.
 */
final class DkimKeyCache {

    private static final int MAX_ENTRIES = 10_000;

    private final BoundedMemo<String, DkimKeyRecord> records = new BoundedMemo<>(MAX_ENTRIES, DkimKeyRecord::parse);
    private final BoundedMemo<String, PublicKey> keys = new BoundedMemo<>(MAX_ENTRIES,
            text -> records.get(text).publicKey());

    /** @throws DkimPermanentError when the record does not parse (not cached: it is the rare case) */
    DkimKeyRecord record(String text) {
        return records.get(text);
    }

    /** @throws DkimPermanentError when the key of the record {@code text} does not decode */
    PublicKey publicKey(String text) {
        return keys.get(text);
    }
}
