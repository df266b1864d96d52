package dev.tern.common.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryJournalTest implements DeliveryJournalContract {

    private final InMemoryDeliveryJournal journal = new InMemoryDeliveryJournal(Duration.ofDays(6), Clock.systemUTC());

    @Override
    public DeliveryJournal journal() {
        return journal;
    }

    @Test
    void forgetsEntriesAfterTheRetention() {
        var clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        var shortLived = new InMemoryDeliveryJournal(Duration.ofHours(1), clock);
        shortLived.recordDelivered("m", List.of("a@x.org")).toCompletableFuture().join();
        clock.advance(Duration.ofMinutes(59));
        assertThat(shortLived.delivered("m", List.of("a@x.org")).toCompletableFuture().join()).containsExactly("a@x.org");
        clock.advance(Duration.ofMinutes(2));
        assertThat(shortLived.delivered("m", List.of("a@x.org")).toCompletableFuture().join()).isEmpty();
    }
}
