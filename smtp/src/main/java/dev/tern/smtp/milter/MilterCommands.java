package dev.tern.smtp.milter;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Encodes the packets the MTA sends to a milter, byte for byte as libmilter reads them. */
public final class MilterCommands {

    private MilterCommands() {
    }

    public static byte[] negotiate(int version, int actions, int protocol) {
        return packet(MilterProtocol.CMD_OPTNEG, new Data().int32(version).int32(actions).int32(protocol));
    }

    /** Macros for the command {@code forCommand} that follows; empty values are sent as they are. */
    public static byte[] macros(char forCommand, Map<String, String> macros) {
        var d = new Data().raw(new byte[] {(byte) forCommand});
        macros.forEach((name, value) -> d.string(name).string(value));
        return packet(MilterProtocol.CMD_MACRO, d);
    }

    /**
     * CONNECT: the client's host name, then its address family ({@code 4}, {@code 6}, or {@code U}
     * for unknown, when nothing else follows), port and address text (without an {@code IPv6:} tag).
     */
    public static byte[] connect(String hostname, InetAddress address, int port) {
        var d = new Data().string(hostname);
        if (address == null) {
            d.raw(new byte[] {'U'});
        } else {
            boolean v6 = address instanceof Inet6Address;
            d.raw(new byte[] {(byte) (v6 ? '6' : '4')}).int16(port)
                    .string(address.getHostAddress());
        }
        return packet(MilterProtocol.CMD_CONNECT, d);
    }

    public static byte[] helo(String name) {
        return packet(MilterProtocol.CMD_HELO, new Data().string(name));
    }

    /** MAIL FROM: the sender in angle brackets, then each ESMTP parameter. */
    public static byte[] mail(String sender, List<String> parameters) {
        return withArguments(MilterProtocol.CMD_MAIL, sender, parameters);
    }

    public static byte[] rcpt(String recipient, List<String> parameters) {
        return withArguments(MilterProtocol.CMD_RCPT, recipient, parameters);
    }

    public static byte[] data() {
        return packet(MilterProtocol.CMD_DATA, new Data());
    }

    public static byte[] header(String name, String value) {
        return packet(MilterProtocol.CMD_HEADER, new Data().string(name).string(value));
    }

    public static byte[] endOfHeaders() {
        return packet(MilterProtocol.CMD_EOH, new Data());
    }

    /** The body in BODY packets of at most {@link MilterProtocol#MAX_BODY_CHUNK} bytes each. */
    public static List<byte[]> body(byte[] body) {
        var out = new ArrayList<byte[]>();
        for (int at = 0; at < body.length; at += MilterProtocol.MAX_BODY_CHUNK) {
            int n = Math.min(MilterProtocol.MAX_BODY_CHUNK, body.length - at);
            byte[] chunk = new byte[n];
            System.arraycopy(body, at, chunk, 0, n);
            out.add(packet(MilterProtocol.CMD_BODY, new Data().raw(chunk)));
        }
        return out;
    }

    public static byte[] endOfBody() {
        return packet(MilterProtocol.CMD_BODYEOB, new Data());
    }

    public static byte[] abort() {
        return packet(MilterProtocol.CMD_ABORT, new Data());
    }

    public static byte[] quit() {
        return packet(MilterProtocol.CMD_QUIT, new Data());
    }

    /** QUIT_NC: this connection's session ends and a new one (CONNECT ...) follows on the same socket. */
    public static byte[] quitNewConnection() {
        return packet(MilterProtocol.CMD_QUIT_NC, new Data());
    }

    private static byte[] withArguments(char command, String first, List<String> rest) {
        var d = new Data().string(first);
        rest.forEach(d::string);
        return packet(command, d);
    }

    private static byte[] packet(char command, Data data) {
        byte[] body = data.out.toByteArray();
        int length = body.length + 1;
        byte[] p = new byte[4 + length];
        p[0] = (byte) (length >>> 24);
        p[1] = (byte) (length >>> 16);
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[4] = (byte) command;
        System.arraycopy(body, 0, p, 5, body.length);
        return p;
    }

    private static final class Data {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Data int32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Data int16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Data string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                if (x == 0) {
                    throw new IllegalArgumentException("NUL inside a milter string");
                }
            }
            out.writeBytes(b);
            out.write(0);
            return this;
        }

        Data raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }
    }
}
