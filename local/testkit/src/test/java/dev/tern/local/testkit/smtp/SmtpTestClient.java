package dev.tern.local.testkit.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A deliberately dumb SMTP client over a plain socket: writes raw bytes, reads raw replies. */
final class SmtpTestClient implements AutoCloseable {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    SmtpTestClient(SmtpSink sink) throws IOException {
        socket = new Socket(sink.host(), sink.port());
        socket.setSoTimeout(10_000);
        streams();
    }

    /** Reads one (possibly multi-line) reply and returns its lines. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed; got " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    /** Last line of the next reply, e.g. {@code "250 2.1.5 Ok"}. */
    String line() throws IOException {
        List<String> lines = reply();
        return lines.get(lines.size() - 1);
    }

    /** Sends text as-is (callers include CRLFs). */
    SmtpTestClient write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Sends one command and returns the last line of its reply. */
    String command(String command) throws IOException {
        write(command + "\r\n");
        return line();
    }

    /** How long a read waits before SocketTimeoutException. */
    void timeout(java.time.Duration value) throws IOException {
        socket.setSoTimeout((int) value.toMillis());
    }

    /** True once the server has closed the connection. */
    boolean closedByServer() throws IOException {
        return in.readLine() == null;
    }

    void startTls() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
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
