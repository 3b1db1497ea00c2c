package io.tally.engine.storage;

import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;

import java.nio.file.Path;
import java.time.Duration;

/** Builds engines on a manual clock and feeds them points synchronously. */
final class EngineTestSupport {
    static final String SCHEMAS = "[default]\npattern = .*\nretentions = 10s:1d,1m:30d,1h:2y\n";
    static final String AGGREGATION = "[count]\npattern = \\.count$\nxFilesFactor = 0\naggregationMethod = sum\n"
            + "[max]\npattern = \\.max$\nxFilesFactor = 0\naggregationMethod = max\n"
            + "[last]\npattern = \\.last$\nxFilesFactor = 0\naggregationMethod = last\n"
            + "[default]\npattern = .*\nxFilesFactor = 0.5\naggregationMethod = average\n";

    private EngineTestSupport() {
    }

    static EngineOptions.Builder options(Path dir, ManualClock clock) throws Exception {
        return EngineOptions.builder(dir)
                .schemas(StorageSchemas.parse(SCHEMAS, "test-schemas"))
                .aggregation(StorageAggregation.parse(AGGREGATION, "test-aggregation"))
                .clock(clock)
                .metrics(new MetricsRegistry())
                .shards(2)
                .walSyncInterval(Duration.ofSeconds(1))
                .checkpointInterval(Duration.ofHours(1));
    }

    /** Sends one point and waits until the writer has applied it (and everything before it). */
    static void write(Engine e, String name, long ts, double value) throws Exception {
        PointBatch b = e.newBatch();
        b.add(name, ts, value);
        e.offer(b);
        drain(e);
    }

    /**
     * History: {@code points} 10 s points per series {@code prefix.s<i>} from {@code firstTs}, value {@code i + p},
     * one batch per step; then drained.
     */
    static void backfill(Engine e, String prefix, int series, int points, long firstTs) throws Exception {
        for (int p = 0; p < points; p++) {
            PointBatch b = e.newBatch();
            for (int s = 0; s < series; s++) {
                b.add(prefix + ".s" + s, firstTs + p * 10L, s + p);
            }
            e.offer(b);
        }
        drain(e);
    }

    static void drain(Engine e) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (e.backlogBytes() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine did not drain its backlog");
            }
            Thread.onSpinWait();
        }
        // the backlog counter drops after a group is applied but before the WAL write; a checkpoint-free barrier:
        e.barrier();
    }
}
