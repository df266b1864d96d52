package dev.tern.common.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenOnFirstUseTest {

    @Test
    void opensOnFirstUseOnlyAndKeepsWhatItOpened() {
        var opened = new AtomicInteger();
        var backend = new OpenOnFirstUse<>(() -> "backend-" + opened.incrementAndGet());

        assertThat(opened).hasValue(0);
        assertThat(backend.get()).isEqualTo("backend-1");
        assertThat(backend.get()).isEqualTo("backend-1");
        assertThat(opened).hasValue(1);
    }

    @Test
    void aFailedOpeningIsTriedAgainAtTheNextUse() {
        var attempts = new AtomicInteger();
        var backend = new OpenOnFirstUse<>(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("infinispan down");
            }
            return "backend";
        });

        assertThatThrownBy(backend::get).hasMessage("infinispan down");
        assertThat(backend.get()).isEqualTo("backend");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aCallIsAFailedStageWhenOpeningOrTheCallThrows() {
        var down = new OpenOnFirstUse<String>(() -> {
            throw new IllegalStateException("infinispan down");
        });
        assertThat(down.call(s -> CompletableFuture.completedFuture(s.length())).toCompletableFuture())
                .isCompletedExceptionally();

        var up = new OpenOnFirstUse<>(() -> "backend");
        assertThat(up.call(s -> {
            throw new IllegalArgumentException("bad key");
        }).toCompletableFuture()).isCompletedExceptionally();
        assertThat(up.call(s -> CompletableFuture.completedFuture(s.length())).toCompletableFuture())
                .isCompletedWithValue(7);
    }
}
