package dev.tern.delivery.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void commitsNothingBeforeAnyRecordStarted() {
        var t = new OffsetTracker();
        assertThat(t.commitDue()).isEqualTo(-1);
    }

    @Test
    void holdsTheCommitBehindTheOldestRecordInFlight() {
        var t = new OffsetTracker();
        t.started(10);
        t.started(11);
        t.started(12);
        t.finished(11);
        t.finished(12);
        assertThat(t.committable()).isEqualTo(10);
        t.finished(10);
        assertThat(t.committable()).isEqualTo(13);
    }

    @Test
    void commitsOnlyWhenThePositionMoved() {
        var t = new OffsetTracker();
        t.started(0);
        t.finished(0);
        assertThat(t.commitDue()).isEqualTo(1);
        t.markCommitted(1);
        assertThat(t.commitDue()).isEqualTo(-1);
        t.started(1);
        assertThat(t.commitDue()).isEqualTo(-1);
        t.finished(1);
        assertThat(t.commitDue()).isEqualTo(2);
    }

    @Test
    void neverCommitsPastARecordThatHasNotFinished() {
        var t = new OffsetTracker();
        for (long o = 0; o < 100; o++) {
            t.started(o);
        }
        for (long o = 99; o > 50; o--) {
            t.finished(o);
        }
        assertThat(t.committable()).isEqualTo(0);
        assertThat(t.inFlight()).isEqualTo(51);
    }

    @Test
    void offersAPositionAgainAfterAFailedCommit() {
        var t = new OffsetTracker();
        t.started(0);
        t.finished(0);
        t.markCommitted(t.commitDue());
        t.commitFailed(1);
        assertThat(t.commitDue()).isEqualTo(1);
    }
}
