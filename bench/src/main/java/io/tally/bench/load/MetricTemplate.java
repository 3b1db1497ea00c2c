package io.tally.bench.load;

import java.util.List;

/**
 * One metric a simulated host reports, with the shape of its values.
 *
 * <p>All numbers are in scaled units ({@code value * 10^decimals}). For a {@link Kind#COUNTER} {@code low..high}
 * bounds the per-step increment rate of a series; for gauges it bounds the value and {@code spread} is the largest
 * change from one step to the next; for a {@link Kind#CONSTANT} {@code low} is the value.
 *
 * @param path     the metric's path below the host node, one or two nodes ({@code "os.cpu.user"} is service
 *                 {@code os}, metric {@code cpu.user}), so full names are 5 or 6 nodes deep
 * @param kind     how the value evolves
 * @param decimals fractional digits printed (0 for integers)
 * @param low      lower bound (see above)
 * @param high     upper bound, inclusive
 * @param spread   largest step-to-step change of a gauge
 */
record MetricTemplate(String path, Kind kind, int decimals, long low, long high, long spread) {

    /** How a series' value evolves from step to step. */
    enum Kind {
        /** Monotonic integer, grows by a per-series rate with some noise each step. */
        COUNTER,
        /** Bounded random walk (integer or decimal depending on {@code decimals}). */
        GAUGE,
        /** Never changes. */
        CONSTANT,
        /** A fresh uniform random value every step: the worst case for any compression. */
        NOISE
    }

    MetricTemplate {
        if (low > high) {
            throw new IllegalArgumentException(path + ": low > high");
        }
    }

    static MetricTemplate counter(String path, long minRate, long maxRate) {
        return new MetricTemplate(path, Kind.COUNTER, 0, minRate, maxRate, 0);
    }

    static MetricTemplate gauge(String path, int decimals, long low, long high, long spread) {
        return new MetricTemplate(path, Kind.GAUGE, decimals, low, high, spread);
    }

    static MetricTemplate constant(String path, long value) {
        return new MetricTemplate(path, Kind.CONSTANT, 0, value, value, 0);
    }

    /**
     * The 50 metrics every simulated host reports in the realistic shape: 19 counters, 14 gauges with one or two
     * decimals, 10 integer gauges and 7 constants, across five services.
     */
    static final List<MetricTemplate> REALISTIC_HOST = List.of(
            // os: 12
            gauge("os.cpu.user", 2, 0, 100_00, 5_00),
            gauge("os.cpu.system", 2, 0, 40_00, 2_00),
            gauge("os.cpu.iowait", 2, 0, 20_00, 1_00),
            gauge("os.load.1m", 2, 0, 8_00, 50),
            gauge("os.load.5m", 2, 0, 8_00, 20),
            gauge("os.memory_used", 0, 1_000_000_000L, 15_000_000_000L, 50_000_000L),
            constant("os.memory_total", 17_179_869_184L),
            gauge("os.disk_used_pct", 1, 10_0, 95_0, 2),
            counter("os.net.rx_bytes", 10_000, 50_000_000),
            counter("os.net.tx_bytes", 10_000, 50_000_000),
            constant("os.cpus", 8),
            counter("os.uptime", 10, 10),
            // jvm: 10
            gauge("jvm.heap.used", 0, 50_000_000L, 2_000_000_000L, 100_000_000L),
            constant("jvm.heap.max", 2_147_483_648L),
            counter("jvm.gc.count", 0, 5),
            counter("jvm.gc.time_ms", 0, 200),
            gauge("jvm.threads", 0, 20, 400, 3),
            gauge("jvm.classes", 0, 8_000, 12_000, 1),
            gauge("jvm.buffers", 0, 0, 64, 1),
            counter("jvm.compilations", 0, 3),
            gauge("jvm.cpu_pct", 2, 0, 100_00, 3_00),
            constant("jvm.version", 21),
            // api: 14
            counter("api.requests", 0, 20_000),
            counter("api.errors", 0, 2),
            gauge("api.latency.p50", 1, 1_0, 50_0, 3_0),
            gauge("api.latency.p95", 1, 5_0, 300_0, 20_0),
            gauge("api.latency.p99", 1, 10_0, 2_000_0, 100_0),
            gauge("api.latency.mean", 2, 1_00, 80_00, 4_00),
            gauge("api.inflight", 0, 0, 200, 10),
            gauge("api.connections", 0, 0, 2_000, 40),
            counter("api.bytes_in", 0, 80_000_000),
            counter("api.bytes_out", 0, 400_000_000),
            counter("api.status.2xx", 0, 19_000),
            counter("api.status.4xx", 0, 300),
            counter("api.status.5xx", 0, 5),
            constant("api.workers", 16),
            // db: 8
            counter("db.queries", 0, 50_000),
            counter("db.slow_queries", 0, 1),
            gauge("db.pool.active", 0, 0, 50, 5),
            gauge("db.pool.idle", 0, 0, 50, 5),
            constant("db.pool.max", 50),
            gauge("db.latency_ms", 2, 10, 50_00, 2_00),
            counter("db.rows_read", 0, 5_000_000),
            gauge("db.replication_lag", 1, 0, 30_0, 1_0),
            // cache: 6
            counter("cache.hits", 0, 100_000),
            counter("cache.misses", 0, 10_000),
            gauge("cache.hit_ratio", 2, 50, 1_00, 2),
            gauge("cache.size", 0, 0, 1_000_000, 5_000),
            counter("cache.evictions", 0, 500),
            constant("cache.capacity", 1_000_000));

    /** The worst case: every series is uniform noise with two decimals. */
    static MetricTemplate noise(String path) {
        return new MetricTemplate(path, Kind.NOISE, 2, 0, 100_000_000_00L, 0);
    }
}
