package dev.tern.smtp.milter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Incremental decoder of the packets a milter sends: byte chunks in (split anywhere), complete
 * {@link MilterResponse}s out. A packet longer than {@code maxPacket} (a replaced body chunk may be
 * up to 64 KiB) is a protocol error, so a broken milter cannot make us buffer without limit.
 * After an error the decoder stays failed. Not thread-safe: one per connection.
 */
public final class ResponseDecoder {

    public static final int DEFAULT_MAX_PACKET = 1024 * 1024;

    private final int maxPacket;
    private final byte[] lengthBytes = new byte[4];
    private int lengthFill;
    private byte[] packet;
    private int packetFill;
    private MilterProtocolException failure;

    public ResponseDecoder() {
        this(DEFAULT_MAX_PACKET);
    }

    public ResponseDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    /** Decodes what {@code bytes} completes; keeps the rest for the next call. */
    public List<MilterResponse> feed(byte[] bytes) {
        if (failure != null) {
            throw failure;
        }
        var out = new ArrayList<MilterResponse>();
        int i = 0;
        try {
            while (i < bytes.length) {
                if (packet == null) {
                    lengthBytes[lengthFill++] = bytes[i++];
                    if (lengthFill == 4) {
                        long length = ByteBuffer.wrap(lengthBytes).getInt() & 0xffffffffL;
                        if (length == 0 || length > maxPacket) {
                            throw new MilterProtocolException("bad packet length " + length);
                        }
                        packet = new byte[(int) length];
                        packetFill = 0;
                        lengthFill = 0;
                    }
                    continue;
                }
                int n = Math.min(bytes.length - i, packet.length - packetFill);
                System.arraycopy(bytes, i, packet, packetFill, n);
                packetFill += n;
                i += n;
                if (packetFill == packet.length) {
                    out.add(decode(packet));
                    packet = null;
                }
            }
        } catch (MilterProtocolException e) {
            failure = e;
            throw e;
        }
        return out;
    }

    /** Whether a packet has begun but not ended (a connection closing now cut it short). */
    public boolean inPacket() {
        return packet != null || lengthFill > 0;
    }

    static MilterResponse decode(byte[] p) {
        char code = (char) (p[0] & 0xff);
        var data = new Fields(p, 1);
        MilterResponse r = switch (code) {
            case MilterProtocol.CMD_OPTNEG -> negotiate(data);
            case MilterProtocol.R_CONTINUE -> new MilterResponse.Continue();
            case MilterProtocol.R_ACCEPT -> new MilterResponse.Accept();
            case MilterProtocol.R_REJECT -> new MilterResponse.Reject();
            case MilterProtocol.R_TEMPFAIL -> new MilterResponse.Tempfail();
            case MilterProtocol.R_DISCARD -> new MilterResponse.Discard();
            case MilterProtocol.R_PROGRESS -> new MilterResponse.Progress();
            case MilterProtocol.R_SKIP -> new MilterResponse.Skip();
            case MilterProtocol.R_SHUTDOWN, MilterProtocol.R_CONN_FAIL -> new MilterResponse.Shutdown(code);
            case MilterProtocol.R_REPLYCODE -> new MilterResponse.ReplyCode(data.string());
            case MilterProtocol.R_ADDHEADER -> new MilterResponse.AddHeader(data.string(), data.string());
            case MilterProtocol.R_CHGHEADER -> new MilterResponse.ChangeHeader(data.int32(), data.string(),
                    data.string());
            case MilterProtocol.R_INSHEADER -> new MilterResponse.InsertHeader(data.int32(), data.string(),
                    data.string());
            case MilterProtocol.R_REPLBODY -> new MilterResponse.ReplaceBody(data.rest());
            case MilterProtocol.R_ADDRCPT -> new MilterResponse.AddRecipient(data.string(), List.of());
            case MilterProtocol.R_ADDRCPT_PAR -> new MilterResponse.AddRecipient(data.string(), data.strings());
            case MilterProtocol.R_DELRCPT -> new MilterResponse.DeleteRecipient(data.string());
            case MilterProtocol.R_QUARANTINE -> new MilterResponse.Quarantine(data.string());
            case MilterProtocol.R_CHGFROM -> new MilterResponse.ChangeFrom(data.string(), data.strings());
            default -> throw new MilterProtocolException("unknown reply code '" + code + "'");
        };
        if (code != MilterProtocol.R_REPLBODY && code != MilterProtocol.R_ADDRCPT_PAR
                && code != MilterProtocol.R_CHGFROM && code != MilterProtocol.CMD_OPTNEG && data.remaining() > 0) {
            throw new MilterProtocolException("trailing bytes in reply '" + code + "'");
        }
        return r;
    }

    private static MilterResponse negotiate(Fields data) {
        int version = data.int32();
        int actions = data.int32();
        int protocol = data.int32();
        var macros = new LinkedHashMap<Integer, String>();
        while (data.remaining() > 0) {
            int stage = data.int32();
            macros.put(stage, data.string());
        }
        return new MilterResponse.Negotiate(version, actions, protocol, macros);
    }

    /** Reads big-endian integers and NUL-terminated strings out of one packet's data. */
    private static final class Fields {
        private final byte[] p;
        private int at;

        Fields(byte[] p, int at) {
            this.p = p;
            this.at = at;
        }

        int remaining() {
            return p.length - at;
        }

        int int32() {
            if (remaining() < 4) {
                throw new MilterProtocolException("reply '" + (char) p[0] + "' too short");
            }
            int v = ByteBuffer.wrap(p, at, 4).getInt();
            at += 4;
            return v;
        }

        String string() {
            for (int i = at; i < p.length; i++) {
                if (p[i] == 0) {
                    String s = new String(p, at, i - at, StandardCharsets.UTF_8);
                    at = i + 1;
                    return s;
                }
            }
            throw new MilterProtocolException("reply '" + (char) p[0] + "' lacks a NUL-terminated string");
        }

        List<String> strings() {
            var out = new ArrayList<String>();
            while (remaining() > 0) {
                out.add(string());
            }
            return out;
        }

        byte[] rest() {
            byte[] r = Arrays.copyOfRange(p, at, p.length);
            at = p.length;
            return r;
        }
    }
}
