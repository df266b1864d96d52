package dev.tern.smtp.milter;

import java.util.List;

/**
 * How one milter judged one message.
 *
 * @param kind          pass (continue or accept), reject, tempfail or discard
 * @param reply         the milter's own SMTP reply text (SMFIR_REPLYCODE), or null
 * @param modifications the changes it asked for, in order (only on pass)
 * @param leadingSpace  whether header values in them carry their own leading space (SMFIP_HDR_LEADSPC)
 */
public record MilterVerdict(Kind kind, String reply, List<MilterResponse.Modification> modifications,
        boolean leadingSpace) {

    public enum Kind {
        PASS, REJECT, TEMPFAIL, DISCARD
    }

    public MilterVerdict {
        modifications = List.copyOf(modifications);
    }

    /** The reason of the milter's quarantine request, or null when it made none. */
    public String quarantine() {
        for (var m : modifications) {
            if (m instanceof MilterResponse.Quarantine q) {
                return q.reason();
            }
        }
        return null;
    }
}
