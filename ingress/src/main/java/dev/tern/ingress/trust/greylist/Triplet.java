package dev.tern.ingress.trust.greylist;

import dev.tern.ingress.trust.ClientAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What greylisting remembers: the client's network, the sender and the recipient, normalised so
 * that one legitimate sender's retries map to one triplet. The network rather than the address
 * because large senders retry from another host of the same farm (IPv4 /24, IPv6 /64: one site);
 * the sender without the per-message parts that BATV, VERP and sub-addressing add, or every
 * message of a mailing list would be a new triplet and wait again.
 */
public record Triplet(String network, String sender, String recipient) {

    /** BATV prefixes (draft-levine-mass-batv): {@code prvs=tag=}, {@code msprvs1=tag=}, {@code btv1==tag==}. */
    private static final Pattern BATV = Pattern.compile("^(?:prvs|msprvs1)=[^=@]+=|^btv1==[^=@]+==");
    /**
     * The hash and timestamp of an SRS0 address (a forwarder's rewritten sender), which change
     * with every message and day: {@code SRS0=hash=tt=domain=local} keeps {@code domain=local}.
     */
    private static final Pattern SRS0 = Pattern.compile("^srs0[=+-][^=]+=[^=]+=");
    /** A {@code +detail} sub-address, often a VERP bounce token. */
    private static final Pattern PLUS_DETAIL = Pattern.compile("\\+.*$");
    /** Runs of digits between separators, e.g. a VERP message number: one key for all of them. */
    private static final Pattern NUMBER = Pattern.compile("(?<![a-z0-9])[0-9]+(?![a-z0-9])");

    public static Triplet of(InetAddress client, String sender, String recipient) {
        return new Triplet(network(client), normaliseSender(sender), normaliseRecipient(recipient));
    }

    /** The key in the store: the three parts, separated by characters no address contains unquoted. */
    public String key() {
        return network + " " + sender + " " + recipient;
    }

    /** The client's /24 (IPv4, also for IPv4-mapped IPv6) or /64 (IPv6), as {@code address/prefix}. */
    static String network(InetAddress client) {
        byte[] a = ClientAddress.unmapped(client).getAddress();
        int keep = a.length == 4 ? 3 : 8;
        byte[] net = Arrays.copyOf(Arrays.copyOf(a, keep), a.length);
        try {
            return InetAddress.getByAddress(net).getHostAddress() + "/" + keep * 8;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * Lower-cased, without BATV tag, SRS0 hash and time, {@code +detail} or VERP numbers;
     * {@code <>} for the null sender.
     */
    static String normaliseSender(String sender) {
        String s = sender == null ? "" : sender.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("<>")) {
            return "<>";
        }
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        String domain = at < 0 ? "" : s.substring(at);
        local = BATV.matcher(local).replaceFirst("");
        local = SRS0.matcher(local).replaceFirst("srs0=");
        local = PLUS_DETAIL.matcher(local).replaceFirst("");
        local = NUMBER.matcher(local).replaceAll("#");
        return local + domain;
    }

    /**
     * Lower-cased: local parts may be case-sensitive in theory, but a sender retrying with other
     * case is the same message, and no mailbox here differs only by case.
     */
    static String normaliseRecipient(String recipient) {
        return recipient == null ? "" : recipient.trim().toLowerCase(Locale.ROOT);
    }

    /** The domain of an address, lower-cased; empty for the null sender or a bare local part. */
    static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).trim().toLowerCase(Locale.ROOT);
    }
}
