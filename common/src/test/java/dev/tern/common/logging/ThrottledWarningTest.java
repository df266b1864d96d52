package dev.tern.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {

    @Test
    void logsTheFirstAtOnceAndThenOneLinePerIntervalCountingTheRest() {
        String name = "throttled-" + System.nanoTime();
        List<String> lines = new ArrayList<>();
        var jul = java.util.logging.Logger.getLogger(name);
        jul.setUseParentHandlers(false);
        jul.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        var clock = new AtomicLong();
        var warning = new ThrottledWarning(Logger.getLogger(name), Duration.ofSeconds(60), clock::get);

        for (int i = 0; i < 1000; i++) {
            warning.warn("journal read for %s failed", "m" + i);
            clock.addAndGet(Duration.ofMillis(10).toNanos());
        }
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        warning.warn("journal read for %s failed", "late");

        assertThat(lines).containsExactly("journal read for m0 failed",
                "journal read for late failed (and 999 more like it in the last 60 s)");
    }
}
