package io.tally.engine.storage;

import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shard's writer applies a backlog in groups of up to 64 batches under its write lock (Shard.process); a query
 * that waits for the lock meanwhile must get it between two batches, not only once the whole group is applied.
 */
class EngineReaderTurnTest {
    private static final long T = 1_795_323_600L;
    private static final int BATCHES = 10;

    @TempDir
    Path dir;

    @Test
    void aWaitingReaderGoesBetweenTwoBatchesOfAGroup() throws Exception {
        ManualClock clock = new ManualClock(T);
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).shards(1).build())) {
            EngineTestSupport.write(e, "turn.s", T - 200, 0);
            Shard shard = e.shards()[0];
            CountDownLatch gate = new CountDownLatch(1);
            shard.queue.add((Runnable) () -> awaitQuietly(gate)); // holds the writer, under its lock
            while (!shard.queue.isEmpty()) {
                Thread.onSpinWait();
            }
            AtomicReference<SeriesData> seen = new AtomicReference<>();
            Thread reader = new Thread(() -> seen.set(e.fetch("turn.s", T - 210, T, T)), "turn-reader");
            // the first item of the next group: start a query and return once it waits for the lock
            shard.queue.add((Runnable) () -> {
                reader.start();
                while (!shard.lock.hasQueuedThreads()) {
                    Thread.onSpinWait();
                }
            });
            for (int p = 1; p <= BATCHES; p++) {
                PointBatch b = e.newBatch();
                b.add("turn.s", T - 200 + p * 10L, p);
                assertThat(e.offer(b)).isTrue();
            }
            assertThat(shard.queue).hasSize(1 + BATCHES); // drained as one group once the gate opens
            gate.countDown();
            reader.join(30_000);
            EngineTestSupport.drain(e);

            assertThat(known(seen.get())).as("points the waiting query saw").isEqualTo(1);
            assertThat(known(e.fetch("turn.s", T - 210, T, T))).isEqualTo(1 + BATCHES);
        }
    }

    private static int known(SeriesData d) {
        int n = 0;
        for (double v : d.values()) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
