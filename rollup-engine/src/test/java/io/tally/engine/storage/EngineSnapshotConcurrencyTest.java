package io.tally.engine.storage;

import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpoint's snapshot copies dirty chunks with the shard's write lock released (Shard.snapshot): readers that
 * run meanwhile, and the writes and checkpoints that follow, must still see every point exactly.
 */
class EngineSnapshotConcurrencyTest {
    private static final long T = 1_795_323_600L;
    private static final int SERIES = 500;
    private static final int POINTS = 300;

    @TempDir
    Path dir;

    @Test
    void readsDuringCheckpointsSeeEveryWrittenPointAndNothingElse() throws Exception {
        ManualClock clock = new ManualClock(T);
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> {
                try {
                    while (!done.get()) {
                        e.checkpoint(false);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
            for (int r = 0; r < 2; r++) {
                int first = r;
                threads.add(new Thread(() -> {
                    int[] known = new int[SERIES];
                    try {
                        while (!done.get()) {
                            for (int s = first; s < SERIES; s += 7) {
                                SeriesData d = e.fetch("snap.s" + s, T - 7210, T - 7200 + (POINTS - 1) * 10L, T);
                                double[] v = d == null ? new double[0] : d.values(); // null: not created yet
                                int n = 0;
                                for (int p = 0; p < v.length; p++) {
                                    if (!Double.isNaN(v[p])) {
                                        assertThat(v[p]).as("s%d point %d", s, p).isEqualTo(s * 1000.0 + p);
                                        n++;
                                    }
                                }
                                assertThat(n).as("points of s%d never disappear", s).isGreaterThanOrEqualTo(known[s]);
                                known[s] = n;
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int p = 0; p < POINTS; p++) {
                PointBatch b = e.newBatch();
                for (int s = 0; s < SERIES; s++) {
                    b.add("snap.s" + s, T - 7200 + p * 10L, s * 1000.0 + p);
                }
                while (!e.offer(b)) {
                    Thread.sleep(1);
                }
                if (p % 50 == 49) {
                    e.sealHeads(); // sealed chunks, too, go through snapshots as they are
                }
            }
            EngineTestSupport.drain(e);
            done.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failure.get()).isNull();
            e.checkpoint(false);
            for (int s = 0; s < SERIES; s += 13) {
                double[] v = e.fetch("snap.s" + s, T - 7210, T - 7200 + (POINTS - 1) * 10L, T).values();
                for (int p = 0; p < POINTS; p++) {
                    assertThat(v[p]).isEqualTo(s * 1000.0 + p);
                }
            }
        }
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            double[] v = e.fetch("snap.s7", T - 7210, T - 7200 + (POINTS - 1) * 10L, T).values();
            for (int p = 0; p < POINTS; p++) {
                assertThat(v[p]).as("after reopening, point %d", p).isEqualTo(7000.0 + p);
            }
        }
    }
}
