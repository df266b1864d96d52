package dev.tern.delivery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.delivery.client.ConnectFailure.Kind;
import dev.tern.delivery.route.NextHop;
import dev.tern.smtp.client.HandshakeConfig;
import dev.tern.smtp.client.LocalReplies;
import dev.tern.smtp.client.TlsPolicy;
import dev.tern.smtp.reply.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kind each way of failing to open a connection is reported as, against scripted servers on 127.0.0.1. */
class ConnectFailureKindTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final Vertx vertx = Vertx.vertx();
    private final NetClients clients = new NetClients(vertx);

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A server that runs {@code onLine} for each line it receives, after {@code onConnect}. */
    private int server(java.util.function.Consumer<NetSocket> onConnect, BiConsumer<NetSocket, String> onLine)
            throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(s -> {
            s.handler(RecordParser.newDelimited("\r\n", line -> onLine.accept(s, line.toString())));
            onConnect.accept(s);
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private ConnectFailure failure(int port, TlsPolicy tls) throws Exception {
        return failure(port, tls, TIMEOUT);
    }

    private ConnectFailure failure(int port, TlsPolicy tls, Duration timeout) throws Exception {
        var result = new CompletableFuture<OutboundConnection>();
        vertx.getOrCreateContext().runOnContext(v -> OutboundConnection.open(vertx, clients.client(false, null),
                new NextHop("mx.test", "127.0.0.1", port), HandshakeConfig.smtp("client.test", tls),
                new Timeouts(timeout, timeout, timeout)).whenComplete((c, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(c);
                    }
                }));
        try {
            OutboundConnection c = result.get(timeout.toSeconds() + 10, TimeUnit.SECONDS);
            throw new AssertionError("the connection opened: " + c);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            assertThat(cause).isInstanceOf(ConnectFailure.class);
            return (ConnectFailure) cause;
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        NetServer gone = vertx.createNetServer().connectHandler(NetSocket::close);
        int port = gone.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        gone.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(failure(port, TlsPolicy.OPPORTUNISTIC).kind()).isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        int port = server(s -> { }, (s, line) -> { });
        assertThat(failure(port, TlsPolicy.OPPORTUNISTIC).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void aServerClosingBeforeTheGreetingLosesTheConnection() throws Exception {
        int port = server(NetSocket::close, (s, line) -> { });
        assertThat(failure(port, TlsPolicy.OPPORTUNISTIC).kind()).isEqualTo(Kind.LOST);
    }

    @Test
    void aRefusingGreetingIsRejected() throws Exception {
        int port = server(s -> s.write("554 5.7.1 no mail from you\r\n"), (s, line) -> { });
        ConnectFailure f = failure(port, TlsPolicy.OPPORTUNISTIC);
        assertThat(f.kind()).isEqualTo(Kind.REJECTED);
        assertThat(f.reply().code()).isEqualTo(554);
    }

    @Test
    void aServerWithoutStartTlsFailsARequiredTlsPolicy() throws Exception {
        int port = server(s -> s.write("220 mx.test ESMTP\r\n"), (s, line) -> {
            if (line.toUpperCase().startsWith("EHLO")) {
                s.write("250-mx.test\r\n250 PIPELINING\r\n");
            } else if (line.toUpperCase().startsWith("QUIT")) {
                s.write("221 bye\r\n").onComplete(v -> s.close());
            }
        });
        assertThat(failure(port, TlsPolicy.REQUIRED).kind()).isEqualTo(Kind.TLS_REQUIRED);
    }

    @Test
    void aBrokenTlsHandshakeIsATlsFailure() throws Exception {
        int port = server(s -> s.write("220 mx.test ESMTP\r\n"), (s, line) -> {
            if (line.toUpperCase().startsWith("EHLO")) {
                s.write("250-mx.test\r\n250 STARTTLS\r\n");
            } else if (line.toUpperCase().startsWith("STARTTLS")) {
                // The ClientHello is answered with something that is not a TLS record.
                s.handler(hello -> s.write("this is not TLS at all, not even close to a ServerHello\r\n"));
                s.write("220 go ahead\r\n");
            }
        });
        // Long timeouts: setting up the first TLS engine of a JVM can take a busy machine a while.
        ConnectFailure f = failure(port, TlsPolicy.OPPORTUNISTIC, Duration.ofSeconds(20));
        assertThat(f.kind()).as(f.toString()).isEqualTo(Kind.TLS_FAILED);
    }

    @Test
    void connectErrorsAreToldApartByTheirCause() {
        assertThat(Kind.ofConnectError(new UnknownHostException("mx.nowhere.test"))).isEqualTo(Kind.DNS);
        assertThat(Kind.ofConnectError(new java.net.ConnectException("Connection refused")))
                .isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void aSessionClosedOnTheClientsTlsRequiredReplyIsTlsRequired() {
        assertThat(Kind.ofSessionClosed(Reply.of(451, "4.7.4", "TLS is required, but was not offered")))
                .isEqualTo(Kind.TLS_REQUIRED);
        assertThat(Kind.ofSessionClosed(Reply.of(421, "4.7.0", "Throttled: too many connections")))
                .as("a remote 421 is the server's refusal, not our own throttling").isEqualTo(Kind.REJECTED);
    }

    @Test
    void aSessionClosedOnRejectedCredentialsIsAnAuthFailure() {
        assertThat(Kind.ofSessionClosed(LocalReplies.authRejected(Reply.of(535, "5.7.8", "authentication failed"))))
                .isEqualTo(Kind.AUTH_FAILED);
        assertThat(Kind.ofSessionClosed(LocalReplies.tlsNotOfferedForAuth())).isEqualTo(Kind.TLS_REQUIRED);
        assertThat(Kind.ofSessionClosed(LocalReplies.authUnavailable("it offers neither AUTH PLAIN nor LOGIN")))
                .isEqualTo(Kind.REJECTED);
    }
}
