package dev.tern.ingress.trust.recipients;

import static dev.tern.ingress.trust.recipients.CalloutCacheContract.await;
import static dev.tern.ingress.trust.recipients.TestPolicies.callout;
import static dev.tern.ingress.trust.recipients.TestPolicies.policy;
import static dev.tern.ingress.trust.recipients.TestPolicies.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Policy;
import dev.tern.ingress.trust.recipients.RecipientCheck.Outcome;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.smtp.address.Mailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator end to end against a real LMTP server: list and callout together, and callouts joined. */
class RecipientValidatorIT {

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    /** Holds every RCPT answer until the test releases it, then answers as the mailboxes say. */
    private final SmtpSink sink = SmtpSink.builder().lmtp().behaviour(r -> {
        if (r.stage() == SinkRequest.Stage.RCPT) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return RecipientCalloutIT.MAILBOXES.reply(r);
    }).start();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RecipientsFileWatcher files = new RecipientsFileWatcher(Duration.ofHours(1));
    private final RecipientValidator validator = new RecipientValidator(files,
            new RecipientCallout(executor, "ingress.test"), new InMemoryCalloutCache(Clock.systemUTC(), 100));

    @AfterEach
    void close() {
        release.countDown();
        sink.close();
        files.close();
        executor.shutdownNow();
    }

    @Test
    void concurrentChecksOfOneAddressShareOneCallout() throws Exception {
        Policy policy = policy(Set.of("example.com"), null, callout(Duration.ofSeconds(30)),
                route("example.com", "lmtp://" + sink.address()));
        Mailbox alice = Mailbox.of("alice@example.com");
        CompletionStage<RecipientCheck> first = validator.verify(alice, policy);
        CompletionStage<RecipientCheck> second = validator.verify(alice, policy);
        assertThat(validator.joinedCallouts()).isEqualTo(1);
        release.countDown();
        assertThat(await(first).outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(await(second).outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(sink.connectionCount()).isEqualTo(1);

        RecipientCheck third = await(validator.verify(alice, policy));
        assertThat(third.cached()).as("the verdict was stored").isTrue();
        assertThat(sink.connectionCount()).isEqualTo(1);
    }

    @Test
    void catchAllInTheListLetsTheMailboxServerDecide() throws Exception {
        release.countDown();
        Path list = Files.writeString(dir.resolve("recipients"), "@example.com\n");
        Policy policy = policy(Set.of("example.com", "other.example"), list, callout(Duration.ofSeconds(30)),
                route("*", "lmtp://" + sink.address()));
        assertThat(await(validator.verify(Mailbox.of("alice@example.com"), policy)).outcome())
                .isEqualTo(Outcome.CALLOUT_VALID);
        RecipientCheck nobody = await(validator.verify(Mailbox.of("nobody@example.com"), policy));
        assertThat(nobody.outcome()).isEqualTo(Outcome.CALLOUT_UNKNOWN);
        assertThat(nobody.refusal()).hasToString("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown");
        assertThat(await(validator.verify(Mailbox.of("alice@other.example"), policy)).outcome())
                .as("not in the list: refused without asking").isEqualTo(Outcome.NOT_LISTED);
        assertThat(sink.connectionCount()).isEqualTo(2);
    }
}
