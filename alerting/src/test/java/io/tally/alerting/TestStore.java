package io.tally.alerting;

import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.QueryLimits;
import io.tally.query.Renderer;
import io.tally.query.functions.FunctionRegistry;

import java.io.IOException;
import java.nio.file.Path;

/** A real storage engine over a temp directory (60 s steps for 7 days), written point by point, read by a Renderer. */
final class TestStore implements AutoCloseable {
    final ManualClock clock;
    final Engine engine;
    final Renderer renderer;

    TestStore(Path dir, long nowSeconds) throws Exception {
        this(dir, new ManualClock(nowSeconds));
    }

    /** Over a clock shared with other stores (several regions in one test). */
    TestStore(Path dir, ManualClock clock) throws Exception {
        this.clock = clock;
        EngineOptions opts = EngineOptions.builder(dir)
                .schemas(StorageSchemas.parse("[all]\npattern = .*\nretentions = 60s:7d\n", "test"))
                .aggregation(StorageAggregation.defaults())
                .clock(clock).metrics(new MetricsRegistry()).shards(1).build();
        this.engine = Engine.open(opts);
        this.renderer = new Renderer(engine, QueryLimits.defaults(), clock, FunctionRegistry.standard());
    }

    /** Writes one point and waits until it is readable. */
    void put(String name, long ts, double value) throws IOException {
        PointBatch b = engine.newBatch();
        b.add(name, ts, value);
        engine.offer(b);
        engine.barrier();
    }

    /** Writes {@code values[i]} at {@code start + 60 i}; NaN entries are skipped (missing points). */
    void series(String name, long start, double... values) throws IOException {
        PointBatch b = engine.newBatch();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                b.add(name, start + 60L * i, values[i]);
            }
        }
        engine.offer(b);
        engine.barrier();
    }

    @Override
    public void close() throws IOException {
        engine.close();
    }
}
