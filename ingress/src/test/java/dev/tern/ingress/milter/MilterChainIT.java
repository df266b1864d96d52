package dev.tern.ingress.milter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Milter;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.local.testkit.milter.ClamavMilter;
import dev.tern.local.testkit.milter.Rspamd;
import dev.tern.smtp.milter.HeaderFields;
import dev.tern.smtp.milter.MilterProtocol;
import dev.tern.smtp.milter.MilterTransaction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The milter client against the real scanners from Debian: rspamd in milter mode (its proxy
 * worker) and clamav-milter in front of a clamd whose only signature is our EICAR one; and a
 * milter that stops answering, or dies mid-message, getting its on-error action.
 */
class MilterChainIT {

    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    static Rspamd rspamd;
    static ClamavMilter clamav;
    static Vertx vertx;
    static SimpleMeterRegistry registry;
    static MilterChain chain;

    @BeforeAll
    static void start() {
        rspamd = Rspamd.start();
        clamav = ClamavMilter.start();
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        chain = new MilterChain(vertx, new IngressMetrics(registry));
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (rspamd != null) {
            rspamd.close();
        }
        if (clamav != null) {
            clamav.close();
        }
    }

    static Milter milter(String name, int port, Milter.OnError onError, Duration timeout) {
        return new Milter(name, "127.0.0.1", port, onError, timeout, Milter.LISTENERS, true, true, null);
    }

    static MilterTransaction transaction(String message) throws Exception {
        return new MilterTransaction("[192.0.2.10]", InetAddress.getByName("192.0.2.10"), 40000, "client.example.net",
                "<alice@example.net>", List.of("SIZE=" + message.length()), List.of("<bob@example.org>"),
                message.getBytes(StandardCharsets.UTF_8),
                Map.of(MilterProtocol.CMD_CONNECT, Map.of("j", "mx.example.org", "{daemon_name}", "tern-ingress-smtp"),
                        MilterProtocol.CMD_MAIL, Map.of("i", "QID1", "{mail_addr}", "alice@example.net")));
    }

    static String message(String subject, String body) {
        return "From: Alice <alice@example.net>\r\nTo: bob@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.hashCode() + "@example.net>\r\nDate: Thu, 3 Dec 2026 10:00:00 +0000\r\n\r\n"
                + body + "\r\n";
    }

    static MilterOutcome await(CompletionStage<MilterOutcome> stage) throws Exception {
        return stage.toCompletableFuture().get(3, TimeUnit.MINUTES);
    }

    @Test
    void rspamdRejectsGtubeWithItsOwnReply() throws Exception {
        var outcome = await(chain.check(List.of(milter("rspamd", rspamd.milterPort(), Milter.OnError.ACCEPT,
                Duration.ofMinutes(2))), transaction(message("gtube", "This is spam.\r\n" + GTUBE))));
        assertThat(outcome.action()).as(rspamd.log()).isEqualTo(MilterOutcome.Action.REJECT);
        assertThat(outcome.reply().code()).isEqualTo(554);
        assertThat(outcome.reply().text()).containsIgnoringCase("gtube");
        assertThat(outcome.decidedBy()).isEqualTo("rspamd");
    }

    @Test
    void rspamdPassesCleanMailWithItsHeadersAddedOnAReusedConnection() throws Exception {
        var rspamdMilter = milter("rspamd", rspamd.milterPort(), Milter.OnError.REJECT, Duration.ofMinutes(2));
        for (int i = 0; i < 2; i++) {
            var outcome = await(chain.check(List.of(rspamdMilter),
                    transaction(message("lunch " + i, "Shall we meet for lunch on Friday?"))));
            assertThat(outcome.action()).as(rspamd.log()).isEqualTo(MilterOutcome.Action.DELIVER);
            var names = HeaderFields.parse(outcome.message()).fields().stream().map(HeaderFields.Field::name).toList();
            assertThat(names).as(new String(outcome.message(), StandardCharsets.UTF_8)).contains("X-Spamd-Result");
            assertThat(new String(outcome.message(), StandardCharsets.UTF_8)).endsWith("Shall we meet for lunch on Friday?\r\n");
            assertThat(outcome.recipients()).containsExactly("bob@example.org");
        }
        assertThat(registry.find("tern.ingress.milter.actions").tag("milter", "rspamd").tag("action", "addheader")
                .counter()).isNotNull();
    }

    @Test
    void clamavRejectsAnEicarAttachmentNamingTheSignature() throws Exception {
        String mime = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n";
        String body = "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b1\r\n"
                + "Content-Type: application/octet-stream; name=\"eicar.com\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"eicar.com\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(ClamavMilter.EICAR.getBytes(StandardCharsets.US_ASCII))
                + "\r\n--b1--";
        String message = mime + message("virus", body);
        // Twice: clamav-milter serves no second session on a connection (after QUIT_NC), which the
        // client must notice and work around with a fresh connection.
        for (int i = 0; i < 2; i++) {
            var outcome = await(chain.check(List.of(milter("clamav", clamav.milterPort(), Milter.OnError.ACCEPT,
                    Duration.ofMinutes(2))), transaction(message)));
            assertThat(outcome.action()).as(clamav.log() + new String(outcome.message(), StandardCharsets.UTF_8))
                    .isEqualTo(MilterOutcome.Action.REJECT);
            assertThat(outcome.reply().code() / 100).isEqualTo(5);
            assertThat(outcome.reply().text()).contains(ClamavMilter.SIGNATURE);
        }
    }

    @Test
    void aMilterThatAnswersNothingGetsItsOnErrorActionAfterItsTimeout() throws Exception {
        try (var frozen = ClamavMilter.start()) {
            frozen.freeze();
            var outcome = await(chain.check(List.of(milter("frozen", frozen.milterPort(), Milter.OnError.TEMPFAIL,
                    Duration.ofSeconds(3))), transaction(message("frozen", "hello"))));
            assertThat(outcome.action()).isEqualTo(MilterOutcome.Action.TEMPFAIL);
            assertThat(outcome.reply().toString()).contains("451").contains("4.7.1")
                    .contains("Content scanner unavailable, try later");
        }
    }

    @Test
    void aMilterKilledMidMessageGetsItsOnErrorActionAndTheMessageIsKept() throws Exception {
        try (var dying = ClamavMilter.start()) {
            dying.freeze();
            String text = message("dying", "keep me");
            var pending = chain.check(List.of(milter("dying", dying.milterPort(), Milter.OnError.ACCEPT,
                    Duration.ofMinutes(5))), transaction(text));
            dying.kill();
            var outcome = await(pending);
            assertThat(outcome.action()).isEqualTo(MilterOutcome.Action.DELIVER);
            assertThat(new String(outcome.message(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
        assertThat(registry.find("tern.ingress.milter.actions").tag("milter", "dying").tag("action", "error")
                .counter().count()).isEqualTo(1.0);
    }
}
