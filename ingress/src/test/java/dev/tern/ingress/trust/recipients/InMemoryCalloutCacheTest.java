package dev.tern.ingress.trust.recipients;

import static dev.tern.ingress.trust.recipients.CalloutCacheContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;
import dev.tern.smtp.address.Mailbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryCalloutCacheTest implements CalloutCacheContract {

    private final MutableClock clock = new MutableClock();
    private final InMemoryCalloutCache cache = new InMemoryCalloutCache(clock, 1000);

    @Override
    public CalloutCache cache() {
        return cache;
    }

    @Test
    void forgetsAVerdictAtTheEndOfItsLifespan() throws Exception {
        Mailbox a = Mailbox.of("a@example.com");
        await(cache.put(a, LMTP, CalloutVerdict.UNKNOWN, Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(await(cache.get(a, LMTP))).contains(CalloutVerdict.UNKNOWN);
        clock.advance(Duration.ofMillis(1));
        assertThat(await(cache.get(a, LMTP))).isEmpty();
    }

    @Test
    void staysBoundedByForgettingEverythingWhenFull() throws Exception {
        var small = new InMemoryCalloutCache(clock, 2);
        Mailbox a = Mailbox.of("a@example.com");
        await(small.put(a, LMTP, CalloutVerdict.VALID, HOUR));
        await(small.put(Mailbox.of("b@example.com"), LMTP, CalloutVerdict.VALID, HOUR));
        await(small.put(Mailbox.of("c@example.com"), LMTP, CalloutVerdict.VALID, HOUR));
        assertThat(await(small.get(a, LMTP))).isEmpty();
        assertThat(await(small.get(Mailbox.of("c@example.com"), LMTP))).contains(CalloutVerdict.VALID);
    }
}
