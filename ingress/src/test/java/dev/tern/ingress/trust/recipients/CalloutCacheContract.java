package dev.tern.ingress.trust.recipients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every {@link CalloutCache} must do; each implementation's test implements this. */
interface CalloutCacheContract {

    AtomicLong UNIQUE = new AtomicLong(System.nanoTime());
    Transport LMTP = Transport.parse("lmtp://mail.example:24");
    Duration HOUR = Duration.ofHours(1);

    CalloutCache cache();

    /** A fresh address per use: the Infinispan cache outlives a test. */
    static Mailbox fresh(String domain) {
        return Mailbox.of("user" + UNIQUE.incrementAndGet() + "@" + domain);
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    default void remembersValidAndUnknownVerdicts() throws Exception {
        Mailbox valid = fresh("example.com");
        Mailbox unknown = fresh("example.com");
        assertThat(await(cache().get(valid, LMTP))).isEmpty();
        await(cache().put(valid, LMTP, CalloutVerdict.VALID, HOUR));
        await(cache().put(unknown, LMTP, CalloutVerdict.UNKNOWN, HOUR));
        assertThat(await(cache().get(valid, LMTP))).contains(CalloutVerdict.VALID);
        assertThat(await(cache().get(unknown, LMTP))).contains(CalloutVerdict.UNKNOWN);
    }

    @Test
    default void ignoresVerdictsAboutTheMoment() throws Exception {
        Mailbox a = fresh("example.com");
        for (CalloutVerdict v : new CalloutVerdict[] {CalloutVerdict.DEFERRED, CalloutVerdict.UNREACHABLE,
                CalloutVerdict.NOT_CHECKED}) {
            await(cache().put(a, LMTP, v, HOUR));
            assertThat(await(cache().get(a, LMTP))).as(v.name()).isEqualTo(Optional.empty());
        }
    }

    @Test
    default void keysByServerAndAddressWithTheDomainCaseFolded() throws Exception {
        Mailbox a = fresh("example.com");
        await(cache().put(a, LMTP, CalloutVerdict.VALID, HOUR));
        assertThat(await(cache().get(Mailbox.of(a.localPart() + "@EXAMPLE.com"), LMTP))).contains(CalloutVerdict.VALID);
        assertThat(await(cache().get(a, Transport.parse("lmtp://other.example:24")))).isEmpty();
        assertThat(await(cache().get(Mailbox.of(a.localPart().toUpperCase() + "@example.com"), LMTP)))
                .as("the server decides whether the local part's case matters").isEmpty();
    }
}
