package dev.tern.smtp.milter;

import java.util.List;
import java.util.Map;

/**
 * One packet a milter sends, decoded ({@link ResponseDecoder}). Verdicts end a step or the whole
 * message; {@link Modification}s are only valid after end-of-body, before the final verdict.
 */
public sealed interface MilterResponse {

    /** A response that changes the message or its envelope (sent between end-of-body and the verdict). */
    sealed interface Modification extends MilterResponse {
    }

    /** The answer to option negotiation; {@code macros} maps a stage (0 connect ... 6 eoh) to the macro names it wants. */
    record Negotiate(int version, int actions, int protocol, Map<Integer, String> macros) implements MilterResponse {
        public Negotiate {
            macros = Map.copyOf(macros);
        }
    }

    record Continue() implements MilterResponse {
    }

    record Accept() implements MilterResponse {
    }

    record Reject() implements MilterResponse {
    }

    record Tempfail() implements MilterResponse {
    }

    record Discard() implements MilterResponse {
    }

    /** A full SMTP reply chosen by the milter, e.g. {@code 554 5.7.1 Gtube pattern}. */
    record ReplyCode(String text) implements MilterResponse {
    }

    /** The milter is still working; the step's answer will follow. */
    record Progress() implements MilterResponse {
    }

    /** Send no more body chunks; go on with end-of-body. */
    record Skip() implements MilterResponse {
    }

    /** The milter is shutting down or failed the connection; treated as a failed milter. */
    record Shutdown(char code) implements MilterResponse {
    }

    record AddHeader(String name, String value) implements Modification {
    }

    /** Replace the {@code index}-th (from 1) header called {@code name}; an empty value deletes it. */
    record ChangeHeader(int index, String name, String value) implements Modification {
    }

    /** Insert a header at position {@code index} (0 is the top) of the header block. */
    record InsertHeader(int index, String name, String value) implements Modification {
    }

    /** One part of the new body; several in a row are concatenated. */
    record ReplaceBody(byte[] chunk) implements Modification {
    }

    record AddRecipient(String address, List<String> parameters) implements Modification {
        public AddRecipient {
            parameters = List.copyOf(parameters);
        }
    }

    record DeleteRecipient(String address) implements Modification {
    }

    record Quarantine(String reason) implements Modification {
    }

    /** Change of envelope sender: not offered by us, so receiving it is a protocol error upstream. */
    record ChangeFrom(String address, List<String> parameters) implements Modification {
        public ChangeFrom {
            parameters = List.copyOf(parameters);
        }
    }
}
