package dev.tern.delivery.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.shaping.ConnectionLeases.Demand;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FairShareTest {

    private final FairShare share = new FairShare();

    private static Demand starved(int holds, String mark) {
        return new Demand(true, OptionalInt.of(holds), mark);
    }

    @Test
    void theShareIsTheSlotsOverThePodsRoundedUp() {
        share.max(3);
        assertThat(share.share(2)).isEqualTo(2);
        assertThat(share.share(3)).isEqualTo(1);
        assertThat(share.share(0)).as("never divides by fewer than one pod").isEqualTo(3);
    }

    @Test
    void reportsItselfStarvedOnlyBelowItsShare() {
        share.max(4);
        assertThat(share.starved(2)).hasValue(0);
        share.join();
        assertThat(share.starved(2)).hasValue(1);
        share.join();
        assertThat(share.starved(2)).isEmpty();
    }

    @Test
    void asksForNoLeaseThatPutsItFurtherAheadOfAStarvedPod() {
        share.max(4);
        share.join();
        share.join();
        share.demand(starved(2, "m1"));
        assertThat(share.mayAsk()).as("even with the starved pod").isTrue();
        share.join();
        assertThat(share.mayAsk()).isFalse();
        share.demand(Demand.NONE);
        assertThat(share.mayAsk()).as("the mark is gone").isTrue();
    }

    @Test
    void givesHalfTheDifferenceToAStarvedPodOncePerMark() {
        share.max(4);
        for (int i = 0; i < 4; i++) {
            share.join();
        }
        Deque<String> parked = new ArrayDeque<>(java.util.List.of("p1", "p2", "p3"));

        share.demand(starved(0, "m1"));
        assertThat(share.wanted()).isTrue();
        assertThat(share.giveOne(parked::pollLast)).isEqualTo("p3");
        assertThat(share.giveOne(parked::pollLast)).isEqualTo("p2");
        assertThat(share.giveOne(parked::pollLast)).as("four against none: two go").isNull();
        assertThat(parked).containsExactly("p1");

        share.demand(starved(0, "m1"));
        assertThat(share.giveOne(parked::pollLast)).as("the same mark is acted on once").isNull();
    }

    @Test
    void connectionsInUseGiveWayOnceChosenAndCountAsTheAskersWhileClosing() {
        share.max(4);
        var first = share.join();
        var second = share.join();
        var third = share.join();
        share.join();
        share.demand(starved(0, "m1"));
        Deque<String> none = new ArrayDeque<>();
        assertThat(share.giveOne(none::pollLast)).as("nothing parked").isNull();

        assertThat(share.surplus(first)).isTrue();
        assertThat(share.surplus(second)).isTrue();
        assertThat(share.surplus(third)).as("two of four give way").isFalse();
        assertThat(share.surplus(first)).as("once chosen, stays chosen").isTrue();

        // A new mark while the two still close: 4 held, 2 of them already going, asker at 0.
        share.demand(starved(0, "m2"));
        assertThat(share.surplus(third)).as("the two closing already even it out").isFalse();

        share.leave(first);
        share.leave(first);
        assertThat(share.holding()).as("leaving counts once").isEqualTo(3);
    }

    @Test
    void forgetsTheMarksOfAKeyNoLongerHeld() {
        share.max(2);
        share.join();
        share.join();
        share.demand(starved(0, "m1"));
        share.forget();
        assertThat(share.wanted()).isFalse();
        assertThat(share.mayAsk()).isTrue();
    }
}
