package dev.tern.local.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A deliberately dumb SMTP client for tests: writes exactly the bytes it is given (bare LFs,
 * pipelined commands, smuggling attempts, over-long lines) and reads whole replies back, so tests
 * can assert byte-exact protocol behaviour of a real server over a real socket.
 *
 * <p>{@link #startTls()} upgrades trusting any certificate (test servers use self-signed ones).
 * Every read has a timeout, so a server that stays silent fails the test instead of hanging it.
 */
public final class RawSmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawSmtpClient(String host, int port) {
        this(host, port, 10_000);
    }

    public RawSmtpClient(String host, int port, int readTimeoutMillis) {
        this(host, port, readTimeoutMillis, null);
    }

    /**
     * Connects from {@code localAddress} (e.g. {@code 127.0.0.2}: every 127/8 address is
     * loopback on Linux), so one test can be two clients a server tells apart by address.
     */
    public static RawSmtpClient from(String localAddress, String host, int port) {
        return new RawSmtpClient(host, port, 10_000, localAddress);
    }

    private RawSmtpClient(String host, int port, int readTimeoutMillis, String localAddress) {
        try {
            socket = new Socket();
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(readTimeoutMillis);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** Implicit TLS from the first byte (port 465 style). */
    public static RawSmtpClient tls(String host, int port) {
        var c = new RawSmtpClient(host, port);
        c.upgrade(host, port);
        return c;
    }

    /** Sends text as UTF-8 exactly as given (add your own CRLFs). */
    public RawSmtpClient send(String text) {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawSmtpClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one complete reply (all lines of a multi-line reply) and returns it, CRLFs included. */
    public String reply() {
        var all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.length() == 0 ? null : all.toString();
            }
            all.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    /** The three-digit code of the next reply, or -1 when the server closed the connection. */
    public int code() {
        String r = reply();
        return r == null ? -1 : Integer.parseInt(r.substring(0, 3));
    }

    /** Sends a command line (CRLF appended) and returns the reply. */
    public String command(String line) {
        send(line + "\r\n");
        return reply();
    }

    /** Reads replies until the server closes; returns them. */
    public List<String> repliesUntilClose() {
        var replies = new ArrayList<String>();
        String r;
        while ((r = reply()) != null) {
            replies.add(r);
        }
        return replies;
    }

    /** True when the server has closed the connection (EOF) within the read timeout. */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Sends STARTTLS, expects 220, and upgrades the socket. */
    public String startTls() {
        String r = command("STARTTLS");
        if (r != null && r.startsWith("220")) {
            upgrade(socket.getInetAddress().getHostAddress(), socket.getPort());
        }
        return r;
    }

    private void upgrade(String host, int port) {
        try {
            SSLContext ctx = trustingContext("TLS");
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, host, port, true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            socket = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
        } catch (Exception e) {
            throw new IllegalStateException("TLS handshake failed", e);
        }
    }

    /** The server certificate's serial number after a TLS handshake, or null on plaintext. */
    public java.math.BigInteger peerCertificateSerial() {
        try {
            return socket instanceof SSLSocket s
                    ? ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber() : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    public String tlsProtocol() {
        return socket instanceof SSLSocket s ? s.getSession().getProtocol() : null;
    }

    private String line() {
        try {
            var buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
                if (b == '\n') {
                    break;
                }
            }
            return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
        } catch (java.net.SocketTimeoutException e) {
            throw new IllegalStateException("no reply within the read timeout", e);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test socket that is already gone changes nothing.
        }
    }

    /**
     * A TLS context of {@code protocol} that trusts any server certificate: test servers use
     * self-signed ones, and these clients test the SMTP conversation, not the PKI.
     */
    public static SSLContext trustingContext(String protocol) throws java.security.GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        return ctx;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
