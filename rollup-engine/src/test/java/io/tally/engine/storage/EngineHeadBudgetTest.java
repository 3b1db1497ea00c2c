package io.tally.engine.storage;

import io.tally.engine.api.PointBatch;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill burst larger than the head budget is checkpointed and evicted early, and nothing is lost; ingest waits
 * while the checkpoint falls far behind.
 */
class EngineHeadBudgetTest {
    private static final long T = 1_795_323_600L;
    private static final long BUDGET = 256 << 10;

    @TempDir
    Path dir;

    @Test
    void headGrowthBeyondTheBudgetCheckpointsEarlyAndEvicts() throws Exception {
        ManualClock clock = new ManualClock(T);
        EngineOptions opts = EngineTestSupport.options(dir, clock).checkpointHeadBytes(BUDGET).build();
        int series = 200;
        int points = 360; // an hour of 10 s history per series, all of it well before "now"
        try (Engine e = Engine.open(opts)) {
            backfill(e, series, points);
            long before = e.headBytes();
            assertThat(before).as("the burst outgrew the budget").isGreaterThan(BUDGET);

            e.checkpointIfHeadGrew();

            long early = opts.metrics().counter("storage.checkpoints_early").sum();
            assertThat(early).isGreaterThanOrEqualTo(1);
            assertThat(e.headBytes()).as("history evicted after the checkpoint").isLessThan(before / 4);
            e.checkpointIfHeadGrew();
            assertThat(opts.metrics().counter("storage.checkpoints_early").sum())
                    .as("no growth since: no further checkpoint").isEqualTo(early);
            assertEveryPoint(e, series, points);
        }
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            assertEveryPoint(e, series, points);
        }
    }

    @Test
    void ingestWaitsWhileTheHeadOutgrowsItsCapAndResumesAfterTheCheckpoint() throws Exception {
        ManualClock clock = new ManualClock(T);
        long budget = 16 << 10;
        EngineOptions opts = EngineTestSupport.options(dir, clock).checkpointHeadBytes(budget).build();
        int series = 200;
        int points = 360;
        try (Engine e = Engine.open(opts)) {
            CountDownLatch resumed = new CountDownLatch(1);
            synchronized (e.checkpointLock()) { // the checkpointer "falls behind": no checkpoint can run
                backfill(e, series, points);
                assertThat(e.headBytes()).isGreaterThan(Engine.HEAD_CAP_BUDGETS * budget);
                assertThat(e.offer(e.newBatch())).as("no room while the head is over its cap").isFalse();
                e.whenWritable(resumed::countDown);
                assertThat(resumed.getCount()).as("receivers stay paused").isEqualTo(1);
            }
            assertThat(resumed.await(30, TimeUnit.SECONDS)).as("the early checkpoint resumes ingest").isTrue();
            assertThat(e.offer(e.newBatch())).isTrue();
            assertEveryPoint(e, series, points);
        }
    }

    @Test
    void rollupsReadEvictedChunksWithoutBringingThemBack() throws Exception {
        long now = T + 1234;
        ManualClock clock = new ManualClock(now);
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            // 1,000 s of 10 s history ending now, checkpointed (so evicted) every 300 s of it; every minute's
            // rollup also recomputes the hour from sixty minutely slots, most of them evicted by then
            long start = (now - 1000) / 10 * 10;
            for (int p = 0; p < 100; p++) {
                PointBatch b = e.newBatch();
                b.add("rollup.x", start + p * 10L, p);
                e.offer(b);
                if (p % 30 == 29) {
                    EngineTestSupport.drain(e);
                    e.checkpoint(false);
                }
            }
            EngineTestSupport.drain(e);
            Series s = e.seriesByName("rollup.x");
            assertThat(HeadChunks.count(s.heads[1])).as("minutely chunks in the head: only the one still being written")
                    .isEqualTo(1);
            double[] minutes = e.fetch("rollup.x", start - 60, start + 1000, now + 2 * 86_400L).values();
            long known = java.util.Arrays.stream(minutes).filter(v -> !Double.isNaN(v)).count();
            assertThat(known).as("every minute of the history rolled up").isGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void automaticBudgetScalesWithSeriesAboveAFloor() throws Exception {
        EngineOptions auto = EngineTestSupport.options(dir, new ManualClock(T)).build();
        assertThat(auto.headBudgetBytes(10)).isEqualTo(EngineOptions.AUTO_HEAD_BYTES_MIN);
        assertThat(auto.headBudgetBytes(1_000_000))
                .isEqualTo(1_000_000 * EngineOptions.AUTO_HEAD_BYTES_PER_SERIES);
    }

    /** {@code points} 10 s points of history per series from two hours before T, {@code s + p}; then drained. */
    private static void backfill(Engine e, int series, int points) throws Exception {
        EngineTestSupport.backfill(e, "backfill", series, points, T - 7200);
    }

    private static void assertEveryPoint(Engine e, int series, int points) {
        for (int s = 0; s < series; s += 37) {
            double[] v = e.fetch("backfill.s" + s, T - 7210, T - 7200 + (points - 1) * 10L, T).values();
            assertThat(v).hasSize(points);
            for (int p = 0; p < points; p++) {
                assertThat(v[p]).as("s%d point %d", s, p).isEqualTo(s + p);
            }
        }
    }
}
