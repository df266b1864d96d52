package dev.tern.bounce.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CoalescingTraceStoreTest {

    private static final Duration DAY = Duration.ofDays(1);

    /** Holds every update until the test releases it, and counts the updates it was asked for. */
    private static final class HeldStore implements TraceStore {
        final InMemoryTraceStore memory = new InMemoryTraceStore(Clock.systemUTC());
        final List<CompletableFuture<Void>> gates = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        boolean fail;

        @Override
        public synchronized CompletionStage<Void> update(String key, UnaryOperator<String> change, Duration lifespan) {
            keys.add(key);
            var gate = new CompletableFuture<Void>();
            gates.add(gate);
            boolean failing = fail;
            return gate.thenCompose(x -> failing
                    ? CompletableFuture.<Void>failedFuture(new IllegalStateException("store down"))
                    : memory.update(key, change, lifespan));
        }

        synchronized void release(int i) {
            gates.get(i).complete(null);
        }

        @Override
        public CompletionStage<Map<String, String>> getAll(Collection<String> keys) {
            return memory.getAll(keys);
        }
    }

    private static UnaryOperator<String> append(String s) {
        return v -> (v == null ? "" : v) + s;
    }

    private static String value(TraceStore store, String key) {
        return store.getAll(List.of(key)).toCompletableFuture().join().get(key);
    }

    @Test
    void changesArrivingWhileAnUpdateIsInFlightGoTogetherInOneUpdateInArrivalOrder() {
        var held = new HeldStore();
        var store = new CoalescingTraceStore(held);
        var first = store.update("r:a", append("1"), DAY).toCompletableFuture();
        var second = store.update("r:a", append("2"), DAY).toCompletableFuture();
        var third = store.update("r:a", append("3"), DAY).toCompletableFuture();
        assertThat(held.keys).containsExactly("r:a");

        held.release(0);
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        assertThat(held.keys).containsExactly("r:a", "r:a");
        held.release(1);

        assertThat(second).isCompleted();
        assertThat(third).isCompleted();
        assertThat(held.keys).hasSize(2);
        assertThat(value(held, "r:a")).isEqualTo("123");
    }

    @Test
    void treeChangesOfOneBatchShareOneParse() {
        var held = new HeldStore();
        var store = new CoalescingTraceStore(held);
        var seen = new ArrayList<JsonNode>();
        var returned = new ArrayList<JsonNode>();
        TraceIndex.TreeChange add = v -> {
            seen.add(v);
            ArrayNode a = v == null ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) v;
            a.add(a.size());
            returned.add(a);
            return a;
        };
        store.update("r:a", add, DAY);
        store.update("r:a", add, DAY);
        var last = store.update("r:a", add, DAY).toCompletableFuture();
        held.release(0);
        held.release(1);

        assertThat(last).isCompleted();
        assertThat(value(held, "r:a")).isEqualTo("[0,1,2]");
        // The batch's second change got the first one's result itself, not a parse of its text.
        assertThat(seen.get(2)).isSameAs(returned.get(1));
    }

    @Test
    void otherKeysDoNotWait() {
        var held = new HeldStore();
        var store = new CoalescingTraceStore(held);
        store.update("r:a", append("a"), DAY);
        var b = store.update("r:b", append("b"), DAY).toCompletableFuture();
        assertThat(held.keys).containsExactly("r:a", "r:b");
        held.release(1);
        assertThat(b).isCompleted();
        assertThat(value(held, "r:b")).isEqualTo("b");
    }

    @Test
    void aFailedUpdateFailsEveryChangeInItAndTheNextChangesStillGoOut() {
        var held = new HeldStore();
        var store = new CoalescingTraceStore(held);
        held.fail = true;
        var first = store.update("r:a", append("1"), DAY).toCompletableFuture();
        var second = store.update("r:a", append("2"), DAY).toCompletableFuture();
        var third = store.update("r:a", append("3"), DAY).toCompletableFuture();
        held.release(0);
        assertThat(first).isCompletedExceptionally();
        // The second update (changes 2 and 3) was made while the store was failing.
        held.release(1);
        assertThat(second).isCompletedExceptionally();
        assertThat(third).isCompletedExceptionally();

        held.fail = false;
        var fourth = store.update("r:a", append("4"), DAY).toCompletableFuture();
        held.release(2);
        assertThat(fourth).isCompleted();
        assertThat(value(held, "r:a")).isEqualTo("4");
    }
}
