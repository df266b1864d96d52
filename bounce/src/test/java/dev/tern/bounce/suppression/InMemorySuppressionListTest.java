package dev.tern.bounce.suppression;

import dev.tern.local.testkit.MutableClock;
import dev.tern.common.suppression.InMemorySuppressionList;
import dev.tern.common.suppression.SuppressionList;
import java.time.Duration;
import java.time.Instant;

class InMemorySuppressionListTest implements SuppressionListContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00.123456Z"));
    private final InMemorySuppressionList list = new InMemorySuppressionList(clock);

    @Override
    public SuppressionList list() {
        return list;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void pass(Duration d) {
        clock.advance(d);
    }
}
