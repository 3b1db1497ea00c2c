package io.tally.engine.storage;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * During a burst of ingest the checkpointer leaves the CPU to ingest: no seal passes, early checkpoints only after
 * several head budgets of growth; at a real-time pace it seals and checkpoints as before.
 */
class EngineBurstTest {
    private static final long T = 1_795_323_600L;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aBurstIsFasterThanAnyRealTimePaceAndAboveAFloor() {
        assertThat(Engine.isBurst(10_000, SECOND, 100_000)).as("100k series every 10 s").isFalse();
        assertThat(Engine.isBurst(200_000, SECOND, 200_000)).as("200k series every second").isFalse();
        assertThat(Engine.isBurst(1_500_000, SECOND, 100_000)).as("a backfill at 1.5 M/s").isTrue();
        assertThat(Engine.isBurst(300_000, 2 * SECOND, 10_000)).as("150k/s into 10k series").isTrue();
        assertThat(Engine.isBurst(150_000, SECOND, 100_000)).as("1.5 points per series per second").isFalse();
        assertThat(Engine.isBurst(90_000, SECOND, 100)).as("below the floor, however few the series").isFalse();
        assertThat(Engine.isBurst(5, 0, 1)).as("no time passed").isFalse();
    }

    @Test
    void duringABurstTheEarlyCheckpointWaitsForMoreGrowth() throws Exception {
        ManualClock clock = new ManualClock(T);
        long growth;
        try (Engine e = Engine.open(EngineTestSupport.options(dir.resolve("probe"), clock).build())) {
            growth = withoutSealing(e, () -> {
                backfill(e, 200, 360);
                return e.headBytes();
            });
        }
        // a budget that the same backfill outgrows twice: one budget is exceeded, the burst's three are not
        long budget = growth / 2;
        EngineOptions opts = EngineTestSupport.options(dir.resolve("data"), clock).checkpointHeadBytes(budget).build();
        try (Engine e = Engine.open(opts)) {
            synchronized (e.checkpointLock()) { // the scheduled checkpoints wait; this thread's calls go through
                withoutSealing(e, () -> {
                    backfill(e, 200, 360);
                    long before = e.headBytes();
                    assertThat(before).isGreaterThan(budget)
                            .isLessThan(Engine.BURST_EARLY_CHECKPOINT_BUDGETS * budget);

                    e.checkpointIfHeadGrew(true);
                    assertThat(checkpoints(opts)).as("no checkpoint during the burst").isZero();
                    assertThat(e.headBytes()).isEqualTo(before);

                    e.checkpointIfHeadGrew(false);
                    assertThat(checkpoints(opts)).as("checkpointed once the burst is over").isEqualTo(1);
                    assertThat(e.headBytes()).as("history evicted").isLessThan(before / 4);
                    return null;
                });
            }
        }
    }

    @Test
    void aSealPassStopsWhenABurstStartsAndSealsOtherwise() throws Exception {
        try (Engine e = Engine.open(EngineTestSupport.options(dir, new ManualClock(T)).build())) {
            withoutSealing(e, () -> {
                backfill(e, 3000, 40); // several 16-slot chunks per series, all but the newest sealable
                long before = e.headBytes();
                assertThat(e.sealHeads(() -> true)).isEqualTo(-1);
                assertThat(e.headBytes()).as("nothing sealed").isEqualTo(before);

                int[] slices = {0};
                assertThat(e.sealHeads(() -> slices[0]++ >= 1)).as("stopped after one slice").isEqualTo(-1);
                long afterOneSlice = e.headBytes();
                assertThat(afterOneSlice).isLessThan(before);

                assertThat(e.sealHeads()).isPositive();
                assertThat(e.headBytes()).isLessThan(afterOneSlice);
                return null;
            });
        }
    }

    @Test
    void sealingWaitsWhileACheckpointIsDue() throws Exception {
        EngineOptions opts = EngineTestSupport.options(dir, new ManualClock(T)).checkpointHeadBytes(16 << 10).build();
        try (Engine e = Engine.open(opts)) {
            synchronized (e.checkpointLock()) {
                withoutSealing(e, () -> {
                    backfill(e, 200, 360); // 72k points: under the burst floor however fast they go
                    assertThat(e.sealingWaits()).as("grown past the budget: the checkpoint comes first").isTrue();
                    e.checkpoint(false);
                    assertThat(e.sealingWaits()).as("after the checkpoint").isFalse();
                    return null;
                });
            }
        }
    }

    /** Runs {@code body} while holding every shard's monitor: the scheduled seal passes wait, this thread's run. */
    private static <T> T withoutSealing(Engine e, java.util.concurrent.Callable<T> body) throws Exception {
        return holding(e.shards(), 0, body);
    }

    private static <T> T holding(Shard[] shards, int i, java.util.concurrent.Callable<T> body) throws Exception {
        if (i == shards.length) {
            return body.call();
        }
        synchronized (shards[i]) {
            return holding(shards, i + 1, body);
        }
    }

    private static long checkpoints(EngineOptions opts) {
        return opts.metrics().counter("storage.checkpoints").sum();
    }

    /** {@code points} 10 s points of history per series from two hours before T, {@code s + p}; then drained. */
    private static void backfill(Engine e, int series, int points) throws Exception {
        EngineTestSupport.backfill(e, "burst", series, points, T - 7200);
    }
}
