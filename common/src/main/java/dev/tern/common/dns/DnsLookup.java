package dev.tern.common.dns;

import java.util.concurrent.CompletionStage;

/**
 * One DNS question, asked asynchronously: the seam between the logic that reads DNS (MX routing,
 * SPF, ...; pure, unit-tested with an in-memory zone) and the wire ({@link DnsjavaLookup}). A stage
 * that fails means no usable answer (timeout, network error), as does an answer whose
 * {@link DnsAnswer#temporaryFailure()} is true: callers treat both as temporary errors, never as
 * "no records".
 */
public interface DnsLookup {

    /** Asks for records of {@code type} ({@link org.xbill.DNS.Type}) at the absolute name {@code name}. */
    CompletionStage<DnsAnswer> query(String name, int type);
}
