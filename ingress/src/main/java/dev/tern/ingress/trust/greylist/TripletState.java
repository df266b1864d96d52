package dev.tern.ingress.trust.greylist;

import java.time.Instant;

/**
 * What the store holds for one triplet: first seen at {@code since} and waiting out the delay, or
 * passed (last confirmed at {@code since}). The time comes from the checking pod's clock and
 * decides everything; the store's own expiry only cleans up, since its clock is not ours.
 */
public record TripletState(Phase phase, Instant since) {

    public enum Phase { SEEN, PASSED }

    public static TripletState seen(Instant at) {
        return new TripletState(Phase.SEEN, at);
    }

    public static TripletState passed(Instant at) {
        return new TripletState(Phase.PASSED, at);
    }

    /** {@code S <epoch ms>} or {@code P <epoch ms>}: short, and readable in the Infinispan console. */
    public String encode() {
        return (phase == Phase.SEEN ? "S " : "P ") + since.toEpochMilli();
    }

    public static TripletState decode(String value) {
        if (value == null || value.length() < 3 || value.charAt(1) != ' ') {
            throw new IllegalArgumentException("not a greylist triplet state: " + value);
        }
        Phase phase = switch (value.charAt(0)) {
            case 'S' -> Phase.SEEN;
            case 'P' -> Phase.PASSED;
            default -> throw new IllegalArgumentException("not a greylist triplet state: " + value);
        };
        return new TripletState(phase, Instant.ofEpochMilli(Long.parseLong(value.substring(2))));
    }
}
