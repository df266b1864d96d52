package dev.tern.ingress.trust.recipients;

import static dev.tern.ingress.trust.recipients.CalloutCacheContract.await;
import static dev.tern.ingress.trust.recipients.TestPolicies.callout;
import static dev.tern.ingress.trust.recipients.TestPolicies.policy;
import static dev.tern.ingress.trust.recipients.TestPolicies.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Relay;
import dev.tern.common.policy.Transport;
import dev.tern.ingress.trust.recipients.RecipientCheck.Outcome;
import dev.tern.smtp.address.Mailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator's decisions that need no server: local domains, the recipients file, postmaster,
 * MX routes and cached verdicts. The callout's executor fails the test if a case calls out.
 */
class RecipientValidatorTest {

    private static final Executor NO_CALLOUTS = task -> {
        throw new AssertionError("this case must not call out");
    };

    @TempDir
    Path dir;

    private final RecipientsFileWatcher files = new RecipientsFileWatcher(Duration.ofHours(1));
    private final InMemoryCalloutCache cache = new InMemoryCalloutCache(Clock.systemUTC(), 100);
    private final RecipientValidator validator = new RecipientValidator(files,
            new RecipientCallout(NO_CALLOUTS, "ingress.test"), cache);
    private Path list;

    @BeforeEach
    void writeList() throws Exception {
        list = Files.writeString(dir.resolve("recipients"), "alice@example.com\n@catchall.example\n");
    }

    @AfterEach
    void close() {
        files.close();
    }

    @Test
    void listedRecipientIsAcceptedAndUnlistedRefusedAsUnknown() throws Exception {
        Policy p = policy(Set.of("example.com"), list, Relay.Callout.OFF);
        assertThat(check("alice@example.com", p).outcome()).isEqualTo(Outcome.LISTED);
        assertThat(check("Alice+tag@Example.com", p).accepted()).isTrue();
        RecipientCheck unknown = check("bob@example.com", p);
        assertThat(unknown.outcome()).isEqualTo(Outcome.NOT_LISTED);
        assertThat(unknown.refusal())
                .hasToString("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
        assertThat(await(validator.check(Mailbox.of("bob@example.com"), p))).isEqualTo(unknown.refusal());
    }

    @Test
    void localDomainWithoutLinesInTheFileHasNoValidRecipients() throws Exception {
        Policy p = policy(Set.of("example.com", "empty.example"), list, Relay.Callout.OFF);
        assertThat(check("alice@empty.example", p).outcome()).isEqualTo(Outcome.NOT_LISTED);
    }

    @Test
    void recipientsOutsideTheLocalDomainsAreNotJudged() throws Exception {
        Policy p = policy(Set.of("example.com"), list, callout(Duration.ofSeconds(5)));
        RecipientCheck elsewhere = check("bob@elsewhere.example", p);
        assertThat(elsewhere.accepted()).isTrue();
        assertThat(elsewhere.outcome()).isEqualTo(Outcome.NOT_VALIDATED);
        assertThat(check("bob@[192.0.2.1]", p).outcome()).isEqualTo(Outcome.NOT_VALIDATED);
    }

    @Test
    void postmasterOfALocalDomainIsAlwaysAccepted() throws Exception {
        Policy p = policy(Set.of("example.com"), list, callout(Duration.ofSeconds(5)));
        RecipientCheck postmaster = check("PostMaster@example.com", p);
        assertThat(postmaster.accepted()).isTrue();
        assertThat(postmaster.outcome()).isEqualTo(Outcome.POSTMASTER);
    }

    @Test
    void noValidationConfiguredAcceptsUnchecked() throws Exception {
        Policy p = policy(Set.of("example.com"), null, Relay.Callout.OFF);
        assertThat(check("anyone@example.com", p).outcome()).isEqualTo(Outcome.NOT_VALIDATED);
    }

    @Test
    void listThatNeverLoadedGivesATemporaryFailure() throws Exception {
        Policy p = policy(Set.of("example.com"), dir.resolve("absent"), Relay.Callout.OFF);
        RecipientCheck check = check("alice@example.com", p);
        assertThat(check.outcome()).isEqualTo(Outcome.LIST_UNAVAILABLE);
        assertThat(check.refusal().code()).isEqualTo(451);
        assertThat(check.refusal().status()).hasToString("4.3.0");
    }

    @Test
    void unlistedRecipientIsRefusedWithoutCallingOut() throws Exception {
        Policy p = policy(Set.of("example.com"), list, callout(Duration.ofSeconds(5)),
                route("example.com", "lmtp://127.0.0.1:24"));
        assertThat(check("bob@example.com", p).outcome()).isEqualTo(Outcome.NOT_LISTED);
    }

    @Test
    void domainRoutedByMxIsNotCalledOut() throws Exception {
        Policy p = policy(Set.of("example.com"), null, callout(Duration.ofSeconds(5)));
        RecipientCheck check = check("bob@example.com", p);
        assertThat(check.accepted()).isTrue();
        assertThat(check.outcome()).isEqualTo(Outcome.CALLOUT_NOT_CHECKED);
    }

    @Test
    void cachedVerdictDecidesWithoutCallingOut() throws Exception {
        Transport lmtp = Transport.parse("lmtp://127.0.0.1:24");
        Policy p = policy(Set.of("catchall.example"), list, callout(Duration.ofSeconds(5)),
                route("catchall.example", lmtp.toString()));
        await(cache.put(Mailbox.of("gone@catchall.example"), lmtp, CalloutVerdict.UNKNOWN, Duration.ofHours(1)));
        await(cache.put(Mailbox.of("here@catchall.example"), lmtp, CalloutVerdict.VALID, Duration.ofHours(1)));

        RecipientCheck gone = check("gone@catchall.example", p);
        assertThat(gone.outcome()).isEqualTo(Outcome.CALLOUT_UNKNOWN);
        assertThat(gone.cached()).isTrue();
        assertThat(gone.refusal().code()).isEqualTo(550);
        RecipientCheck here = check("here@catchall.example", p);
        assertThat(here.outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(here.cached()).isTrue();
        assertThat(here.accepted()).isTrue();
    }

    private RecipientCheck check(String address, Policy policy) throws Exception {
        return await(validator.verify(Mailbox.of(address), policy));
    }
}
