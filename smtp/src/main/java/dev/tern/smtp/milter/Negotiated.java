package dev.tern.smtp.milter;

import java.util.Map;

/**
 * What a milter agreed to in option negotiation: the actions it may take and the protocol bits
 * (steps it does not want, steps it will not answer), each limited to what we offered.
 */
public record Negotiated(int version, int actions, int protocol, Map<Integer, String> macros) {

    public Negotiated {
        macros = Map.copyOf(macros);
    }

    /** Our offer: {@link MilterProtocol#VERSION}, the actions and protocol bits we support. */
    public static byte[] offer() {
        return MilterCommands.negotiate(MilterProtocol.VERSION, MilterProtocol.ACTIONS_OFFERED,
                MilterProtocol.PROTOCOL_OFFERED);
    }

    /** Checks the milter's answer to {@link #offer()}, dropping any bit we did not offer. */
    public static Negotiated from(MilterResponse response) {
        if (!(response instanceof MilterResponse.Negotiate n)) {
            throw new MilterProtocolException("expected the answer to option negotiation, got " + response);
        }
        if (n.version() < 2) {
            throw new MilterProtocolException("milter protocol version " + n.version() + " is too old");
        }
        return new Negotiated(Math.min(n.version(), MilterProtocol.VERSION), n.actions() & MilterProtocol.ACTIONS_OFFERED,
                n.protocol() & MilterProtocol.PROTOCOL_OFFERED, n.macros());
    }

    /** Whether the step switched off by {@code noFlag} is sent at all. */
    public boolean sends(int noFlag) {
        return (protocol & noFlag) == 0;
    }

    /** Whether the step made reply-less by {@code noReplyFlag} awaits an answer. */
    public boolean awaitsReply(int noReplyFlag) {
        return (protocol & noReplyFlag) == 0;
    }

    public boolean allows(int action) {
        return (actions & action) != 0;
    }

    /** Header values carry their leading space as written (otherwise it is dropped and added back). */
    public boolean leadingSpace() {
        return (protocol & MilterProtocol.P_HDR_LEADSPC) != 0;
    }
}
