package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.rules.AggregationRules;
import io.tally.engine.rules.RewriteRules;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Rewrite and aggregation rules wired into the write path; retention expiry by whole partitions. */
class EngineRulesAndRetentionTest {
    private static final long T = 1_795_323_600L;
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);

    @Test
    void rewriteRulesRenameBeforeStorage() throws Exception {
        RewriteRules rules = RewriteRules.parse("[pre]\n^collectd\\.([a-z0-9]+)\\. = servers.\\1.\n", "rw");
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).rewriteRules(rules).build())) {
            write(e, "collectd.web01.cpu", T - 10, 5);
            assertThat(e.fetch("servers.web01.cpu", T - 20, T, T).values()).contains(5.0);
            assertThat(e.fetch("collectd.web01.cpu", T - 20, T, T)).isNull();
        }
    }

    @Test
    void aggregationRulesEmitAggregatesIntoStorage() throws Exception {
        AggregationRules rules = AggregationRules.parse(
                "<env>.app.all.requests (10) = sum <env>.app.*.requests\n", "agg");
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).aggregationRules(rules).build())) {
            write(e, "prod.app.a.requests", T - 30, 3);
            write(e, "prod.app.b.requests", T - 30, 4);
            // the aggregator recomputes an output every `frequency` seconds of the clock, flushing every second on
            // the checkpointer thread: move the clock past the next computation and wait for the sum to be stored
            clock.advanceSeconds(20);
            long deadline = System.nanoTime() + 20_000_000_000L;
            double got = Double.NaN;
            while (System.nanoTime() < deadline) {
                SeriesData d = e.fetch("prod.app.all.requests", T - 40, T, T + 20);
                if (d != null) {
                    got = EngineSemanticsTest.valueAt(d, T - 30);
                    if (got == 7.0) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            assertThat(got).isEqualTo(7.0);
            // raw inputs are still stored (carbon's FORWARD_ALL)
            assertThat(e.fetch("prod.app.a.requests", T - 40, T, T + 20).values()).contains(3.0);
        }
    }

    @Test
    void partitionsOlderThanTheLongestRetentionAreDeletedWhole() throws Exception {
        var opts = EngineTestSupport.options(dir, clock)
                .schemas(StorageSchemas.parse("[x]\npattern=.*\nretentions=10s:1h\n", "short")).build();
        try (Engine e = Engine.open(opts)) {
            for (int i = 0; i < 30; i++) {
                write(e, "a.b", T - 300 + i * 10L, i);
            }
            e.checkpoint(true);
            assertThat(segments()).isNotZero();
            clock.advanceSeconds(4 * 3600 + 3 * 10240); // beyond retention and past the partition's end
            e.checkpoint(false);
            assertThat(segments()).isZero();
            assertThat(e.fetch("a.b", T - 300, T, clock.nowSeconds())).isNull();
        }
    }

    private long segments() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".tsg")).count();
        }
    }
}
