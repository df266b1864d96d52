package dev.tern.ingress.dkim;

import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed key records and decoded public keys by the TXT text they came from. The DNS answer is
 * already cached; this saves parsing the record and decoding the key (DER, big integers) for
 * every message a busy signer sends. Bounded by dropping everything when full: keys are few
 * (one per selector), so that happens only under a flood of distinct ones, where a miss is merely
 * the uncached cost.
 */
final class DkimKeyCache {

    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, DkimKeyRecord> records = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    /** @throws DkimPermanentError when the record does not parse (not cached: it is the rare case) */
    DkimKeyRecord record(String text) {
        DkimKeyRecord cached = records.get(text);
        if (cached != null) {
            return cached;
        }
        DkimKeyRecord parsed = DkimKeyRecord.parse(text);
        bound(records).put(text, parsed);
        return parsed;
    }

    /** @throws DkimPermanentError when the key does not decode */
    PublicKey publicKey(String text, DkimKeyRecord record) {
        PublicKey cached = keys.get(text);
        if (cached != null) {
            return cached;
        }
        PublicKey decoded = record.publicKey();
        bound(keys).put(text, decoded);
        return decoded;
    }

    private static <V> Map<String, V> bound(Map<String, V> map) {
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        return map;
    }
}
