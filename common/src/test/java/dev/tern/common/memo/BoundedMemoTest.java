package dev.tern.common.memo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void computesEachKeyOnceWhileItIsRemembered() {
        var calls = new AtomicInteger();
        var memo = new BoundedMemo<String, Integer>(10, s -> {
            calls.incrementAndGet();
            return s.length();
        });
        assertEquals(3, memo.get("abc"));
        assertEquals(3, memo.get("abc"));
        assertEquals(1, calls.get());
    }

    @Test
    void forgetsEverythingWhenFullSoItStaysBounded() {
        var calls = new AtomicInteger();
        var memo = new BoundedMemo<Integer, Integer>(3, i -> {
            calls.incrementAndGet();
            return i * 2;
        });
        for (int i = 0; i < 10; i++) {
            memo.get(i);
        }
        assertEquals(10, calls.get());
        assertEquals(1, memo.size());
        memo.get(0);
        assertEquals(11, calls.get(), "0 was forgotten when the memo filled up");
    }

    @Test
    void aFunctionThatThrowsIsNotRemembered() {
        var calls = new AtomicInteger();
        var memo = new BoundedMemo<String, Integer>(10, s -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad " + s);
        });
        assertThrows(IllegalArgumentException.class, () -> memo.get("x"));
        assertThrows(IllegalArgumentException.class, () -> memo.get("x"));
        assertEquals(2, calls.get());
        assertEquals(0, memo.size());
    }

    @Test
    void refusesAnEmptyBound() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedMemo<String, String>(0, s -> s));
    }
}
