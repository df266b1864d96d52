package dev.tern.delivery.route;

import java.util.concurrent.CompletionStage;

/**
 * One DNS question, asked asynchronously. The seam between routing logic (pure, unit-tested with a
 * fake) and the wire ({@link DnsjavaLookup}). A stage that fails means no usable answer (timeout,
 * network error): routing treats it as a temporary failure (4.4.3).
 */
public interface DnsLookup {

    /** Asks for records of {@code type} ({@link org.xbill.DNS.Type}) at the absolute name {@code name}. */
    CompletionStage<DnsAnswer> query(String name, int type);
}
