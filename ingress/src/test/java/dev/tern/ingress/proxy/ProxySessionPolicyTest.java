package dev.tern.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.session.SessionFacts;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.ServerSession;
import dev.tern.smtp.server.SessionConfig;
import dev.tern.smtp.server.SessionOutput;
import dev.tern.smtp.server.Signal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The proxy's state handling, driven through Tern's real server session against a scripted upstream. */
class ProxySessionPolicyTest {

    private static final String POSTFIX_EHLO = "upstream.test\nPIPELINING\nSIZE 10240000\nENHANCEDSTATUSCODES\n8BITMIME\nDSN";
    private static final Reply UNKNOWN_USER = Reply.of(550, "5.1.1",
            "<nobody@dest.test>: Recipient address rejected: User unknown in relay recipient table");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> replies = new ArrayList<>();
    private ProxySessionPolicy policy;
    private ServerSession session;

    private void start(CompletableFuture<Upstream> upstream, ProxyContentCheck check) throws Exception {
        var facts = new SessionFacts(InetAddress.getByName("192.0.2.7"), "192.0.2.7", "mx.tern.test", "proxy");
        policy = new ProxySessionPolicy(facts, upstream, check, new IngressMetrics(registry), Runnable::run);
        session = new ServerSession(SessionConfig.builder("mx.tern.test").build(), policy, new SessionOutput() {
            @Override
            public void send(Reply reply) {
                replies.add(new String(reply.toWire(), StandardCharsets.UTF_8));
            }

            @Override
            public void signal(Signal signal) {
            }
        });
        session.start();
    }

    private void start(ScriptedUpstream upstream, ProxyContentCheck check) throws Exception {
        start(CompletableFuture.completedFuture(upstream), check);
    }

    private String say(String lines) {
        int before = replies.size();
        session.receive(lines.getBytes(StandardCharsets.UTF_8));
        return String.join("", replies.subList(before, replies.size()));
    }

    private void transaction() {
        say("EHLO client.test\r\n");
        say("MAIL FROM:<a@client.test>\r\n");
        say("RCPT TO:<alice@dest.test>\r\n");
    }

    private double counted(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void mailAndRcptGetTheUpstreamsOwnRepliesByteForByte() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO)
                .answering(line -> line.contains("nobody") ? UNKNOWN_USER : Reply.of(250, "2.1.5", "Ok"));
        start(upstream, ProxyContentCheck.none());
        say("EHLO client.test\r\n");
        assertThat(say("MAIL FROM:<a@client.test> SIZE=100 BODY=8BITMIME\r\n")).isEqualTo("250 2.1.5 Ok\r\n");
        assertThat(say("RCPT TO:<nobody@dest.test> NOTIFY=FAILURE\r\n")).isEqualTo(new String(UNKNOWN_USER.toWire(),
                StandardCharsets.UTF_8));
        assertThat(upstream.sent).containsExactly("MAIL FROM:<a@client.test> SIZE=100 BODY=8BITMIME",
                "RCPT TO:<nobody@dest.test> NOTIFY=FAILURE");
    }

    @Test
    void theMessageGoesUpstreamAfterTheCheckAndTheUpstreamsFinalReplyIsTheClients() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, (tx, message) -> CompletableFuture.completedFuture(ContentVerdict.pass(
                ("X-Checked: " + tx.envelope().recipients().size() + "\r\n" + new String(message,
                        StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII))));
        transaction();
        say("DATA\r\n");
        assertThat(say("Subject: hi\r\n\r\n..dot\r\n.\r\n")).isEqualTo("250 2.0.0 Ok: queued as UP1\r\n");
        assertThat(upstream.sent).endsWith("DATA");
        assertThat(new String(upstream.messages.get(0), StandardCharsets.US_ASCII))
                .isEqualTo("X-Checked: 1\r\nSubject: hi\r\n\r\n.dot\r\n");
        assertThat(counted("tern.ingress.proxy.messages", "outcome", "relayed")).isEqualTo(1);
    }

    @Test
    void bdatGoesUpstreamAsOneLastChunkWhenTheUpstreamHasChunking() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO + "\nCHUNKING");
        start(upstream, ProxyContentCheck.none());
        transaction();
        assertThat(say("BDAT 5\r\nabc\r\n")).startsWith("250");
        assertThat(say("BDAT 4 LAST\r\nde\r\n")).startsWith("250 2.0.0 Ok: queued as UP1");
        assertThat(upstream.sent).endsWith("BDAT 9 LAST");
        assertThat(new String(upstream.messages.get(0), StandardCharsets.US_ASCII)).isEqualTo("abc\r\nde\r\n");
    }

    @Test
    void aBlockIsTernsOwn5xxTheUpstreamIsResetAndNeverGetsTheMessage() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        Reply spam = Reply.of(554, "5.7.1", "Spam message rejected");
        start(upstream, (tx, message) -> CompletableFuture.completedFuture(new ContentVerdict.Block(spam)));
        transaction();
        say("DATA\r\n");
        assertThat(say("XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n.\r\n"))
                .isEqualTo("554 5.7.1 Spam message rejected\r\n");
        assertThat(upstream.sent).containsExactly("MAIL FROM:<a@client.test>", "RCPT TO:<alice@dest.test>", "RSET");
        assertThat(upstream.messages).isEmpty();
        assertThat(counted("tern.ingress.proxy.messages", "outcome", "blocked")).isEqualTo(1);
    }

    @Test
    void aFailingCheckIsATemporaryRefusalNeverAPass() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, (tx, message) -> CompletableFuture.failedFuture(new IllegalStateException("milter down")));
        transaction();
        say("DATA\r\n");
        assertThat(say("body\r\n.\r\n")).startsWith("451 4.3.0");
        assertThat(upstream.messages).isEmpty();
        assertThat(upstream.sent).endsWith("RSET");
    }

    @Test
    void anUpstreamTransactionLeftOpenIsResetBeforeTheNextMail() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, ProxyContentCheck.none());
        transaction();
        assertThat(say("RSET\r\n")).startsWith("250");
        say("MAIL FROM:<b@client.test>\r\n");
        assertThat(upstream.sent).containsExactly("MAIL FROM:<a@client.test>", "RCPT TO:<alice@dest.test>", "RSET",
                "MAIL FROM:<b@client.test>");
    }

    @Test
    void xforwardTellsAnUpstreamThatTrustsUsWhoTheClientIs() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO + "\nXFORWARD NAME ADDR PROTO HELO");
        start(upstream, ProxyContentCheck.none());
        transaction();
        assertThat(upstream.sent.get(0)).isEqualTo("XFORWARD NAME=[UNAVAILABLE] ADDR=192.0.2.7 PROTO=ESMTP HELO=client.test");
    }

    @Test
    void anUpstreamLostMidSessionGives451ForTheCommandInFlightAndAfter() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, ProxyContentCheck.none());
        transaction();
        upstream.lose();
        assertThat(say("RCPT TO:<bob@dest.test>\r\n")).isEqualTo("451 4.4.1 Upstream unavailable, try again later\r\n");
        say("DATA\r\n");
        assertThat(say("body\r\n.\r\n")).startsWith("451 4.4.1");
        assertThat(counted("tern.ingress.proxy.upstream.failures", "stage", "lost")).isEqualTo(1);
    }

    @Test
    void anUnreachableUpstreamGives451ToHeloAndMail() throws Exception {
        start(CompletableFuture.failedFuture(new UpstreamUnavailable("refused")), ProxyContentCheck.none());
        assertThat(say("EHLO client.test\r\n")).isEqualTo("451 4.4.1 Upstream unavailable, try again later\r\n");
        assertThat(say("HELO client.test\r\n")).startsWith("451 4.4.1");
    }

    @Test
    void smtputf8IsRefusedWhenTheUpstreamCannotTakeIt() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, ProxyContentCheck.none());
        say("EHLO client.test\r\n");
        assertThat(say("MAIL FROM:<a@client.test> SMTPUTF8\r\n")).startsWith("553 5.6.7");
        assertThat(upstream.sent).isEmpty();
    }

    @Test
    void theUpstreamIsToldQuitWhenTheClientSessionEnds() throws Exception {
        var upstream = new ScriptedUpstream(POSTFIX_EHLO);
        start(upstream, ProxyContentCheck.none());
        policy.close();
        assertThat(upstream.quitSent()).isTrue();
    }
}
