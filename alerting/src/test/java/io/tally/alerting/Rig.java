package io.tally.alerting;

import io.tally.engine.util.MetricsRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An AlertEngine over a real TestStore, with a manual clock at an aligned minute, a recording notifier and
 * (optionally) a state file, for tests that step time by hand.
 */
final class Rig implements AutoCloseable {
    static final long T0 = 1_700_000_000L - 1_700_000_000L % 3600;

    record Sent(AlertDefinition.Notify to, String alert, String region, State state, State previous, boolean repeat) {
    }

    final TestStore store;
    final AlertEngine engine;
    final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    final MetricsRegistry metrics = new MetricsRegistry();

    Rig(Path dir, Path dataDir, List<String> regions, List<AlertDefinition> defs) throws Exception {
        this(new TestStore(dir.resolve("storage"), T0), dataDir, regions, defs);
    }

    Rig(TestStore store, Path dataDir, List<String> regions, List<AlertDefinition> defs) {
        this.store = store;
        AlertingConfig cfg = AlertingConfig.defaults(null).withEvaluateAllRegions(true);
        Notifier n = (to, r, prev, repeat) -> sent.add(new Sent(to, r.alert(), r.region(), r.state(), prev, repeat));
        this.engine = new AlertEngine(cfg, new Evaluator(store.renderer), store.clock, metrics,
                dataDir == null ? null : new StateStore(dataDir), n, regions.get(0), regions, pool);
        engine.setFileDefinitions(defs);
        engine.restore();
    }

    long now() {
        return store.clock.currentTimeMillis();
    }

    /** Writes {@code value} for the ten minutes before the current slot's window end, then evaluates what is due. */
    void level(String name, double value) throws Exception {
        long t = store.clock.nowSeconds() / 60 * 60;
        double[] v = new double[10];
        java.util.Arrays.fill(v, value);
        store.series(name, t - 60 * 10, v);
    }

    /** Advances the clock by {@code seconds} and runs what is due. */
    int step(long seconds) {
        store.clock.advanceSeconds(seconds);
        return engine.runDue(now());
    }

    Report report(String alert, String region) {
        return engine.report(alert, region, false);
    }

    @Override
    public void close() throws Exception {
        pool.shutdownNow();
        store.close();
    }
}
