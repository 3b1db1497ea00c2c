package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whole-store size on benchmark-like data: 10 s series shaped like the end-to-end load generator's realistic host
 * (50 metrics: counters up to ~1e13, gauges with 0-2 decimals, constants), whisper rollups of them (1 m averages
 * of 6 raw points, 1 h averages of 60 one-minute points, computed as whisper does: the sequential double sum of
 * the known values divided by their count, with xFilesFactor 0.5), each archive cut into 1024-slot blocks.
 * Prints bytes per point and encode time per block with and without the rational form, and the whole-store bytes
 * per ingested point (raw + 1m / 6 + 1h / 360). Sizes are deterministic for the fixed seeds; only the (printed,
 * never asserted) timings vary. {@code -Dtally.long=true} uses more hosts and blocks.
 */
class BlockRollupSizeReportTest {
    private static final boolean LONG = Boolean.getBoolean("tally.long");
    private static final int SLOTS = 1024;
    private static final int HOSTS = LONG ? 4 : 1;
    private static final int RAW_BLOCKS = LONG ? 6 : 2;
    private static final int MINUTE_BLOCKS = LONG ? 6 : 2;
    private static final int HOUR_BLOCKS = 1;
    private static final int TIMING_REPS = LONG ? 5 : 2;

    private enum Kind { COUNTER, GAUGE, CONSTANT }

    /** The benchmark's metric shapes (scaled units: value * 10^decimals), copied so the test needs no bench code. */
    private record Template(String path, Kind kind, int decimals, long low, long high, long spread) {
    }

    private static Template counter(String path, long minRate, long maxRate) {
        return new Template(path, Kind.COUNTER, 0, minRate, maxRate, 0);
    }

    private static Template gauge(String path, int decimals, long low, long high, long spread) {
        return new Template(path, Kind.GAUGE, decimals, low, high, spread);
    }

    private static Template constant(String path, long value) {
        return new Template(path, Kind.CONSTANT, 0, value, value, 0);
    }

    private static final List<Template> HOST = List.of(
            gauge("os.cpu.user", 2, 0, 100_00, 5_00), gauge("os.cpu.system", 2, 0, 40_00, 2_00),
            gauge("os.cpu.iowait", 2, 0, 20_00, 1_00), gauge("os.load.1m", 2, 0, 8_00, 50),
            gauge("os.load.5m", 2, 0, 8_00, 20), gauge("os.memory_used", 0, 1_000_000_000L, 15_000_000_000L, 50_000_000L),
            constant("os.memory_total", 17_179_869_184L), gauge("os.disk_used_pct", 1, 10_0, 95_0, 2),
            counter("os.net.rx_bytes", 10_000, 50_000_000), counter("os.net.tx_bytes", 10_000, 50_000_000),
            constant("os.cpus", 8), counter("os.uptime", 10, 10),
            gauge("jvm.heap.used", 0, 50_000_000L, 2_000_000_000L, 100_000_000L), constant("jvm.heap.max", 2_147_483_648L),
            counter("jvm.gc.count", 0, 5), counter("jvm.gc.time_ms", 0, 200), gauge("jvm.threads", 0, 20, 400, 3),
            gauge("jvm.classes", 0, 8_000, 12_000, 1), gauge("jvm.buffers", 0, 0, 64, 1),
            counter("jvm.compilations", 0, 3), gauge("jvm.cpu_pct", 2, 0, 100_00, 3_00), constant("jvm.version", 21),
            counter("api.requests", 0, 20_000), counter("api.errors", 0, 2), gauge("api.latency.p50", 1, 1_0, 50_0, 3_0),
            gauge("api.latency.p95", 1, 5_0, 300_0, 20_0), gauge("api.latency.p99", 1, 10_0, 2_000_0, 100_0),
            gauge("api.latency.mean", 2, 1_00, 80_00, 4_00), gauge("api.inflight", 0, 0, 200, 10),
            gauge("api.connections", 0, 0, 2_000, 40), counter("api.bytes_in", 0, 80_000_000),
            counter("api.bytes_out", 0, 400_000_000), counter("api.status.2xx", 0, 19_000),
            counter("api.status.4xx", 0, 300), counter("api.status.5xx", 0, 5), constant("api.workers", 16),
            counter("db.queries", 0, 50_000), counter("db.slow_queries", 0, 1), gauge("db.pool.active", 0, 0, 50, 5),
            gauge("db.pool.idle", 0, 0, 50, 5), constant("db.pool.max", 50), gauge("db.latency_ms", 2, 10, 50_00, 2_00),
            counter("db.rows_read", 0, 5_000_000), gauge("db.replication_lag", 1, 0, 30_0, 1_0),
            counter("cache.hits", 0, 100_000), counter("cache.misses", 0, 10_000), gauge("cache.hit_ratio", 2, 50, 1_00, 2),
            gauge("cache.size", 0, 0, 1_000_000, 5_000), counter("cache.evictions", 0, 500),
            constant("cache.capacity", 1_000_000));

    /** The 10 s values of one series (the load generator's evolution rules, seeded java.util.Random draws). */
    private static double[] raw(Template t, Random rnd, int points, double lossRate) {
        double[] v = new double[points];
        double pow = Math.pow(10, t.decimals());
        long span = t.high() - t.low() + 1;
        long value = 0;
        long rate = 0;
        for (int step = 0; step < points; step++) {
            switch (t.kind()) {
                case CONSTANT -> value = t.low();
                case COUNTER -> {
                    if (step == 0) {
                        rate = t.low() + draw(rnd, span);
                        value = draw(rnd, 100_000) * Math.max(1, rate);
                    } else if (t.low() == t.high()) {
                        value += rate;
                    } else if (rate < 4) {
                        value += draw(rnd, 2 * rate + 1);
                    } else {
                        value += rate - rate / 4 + draw(rnd, rate / 2 + 1);
                    }
                }
                case GAUGE -> {
                    if (step == 0) {
                        value = t.low() + draw(rnd, span);
                    } else {
                        long next = value + draw(rnd, 2 * t.spread() + 1) - t.spread();
                        value = Math.min(t.high(), Math.max(t.low(), next));
                    }
                }
            }
            // a parsed "%.{decimals}f" string: the correctly rounded double of value / 10^decimals
            v[step] = lossRate > 0 && rnd.nextDouble() < lossRate ? Double.NaN
                    : t.decimals() == 0 ? (double) value : value / pow;
        }
        return v;
    }

    private static long draw(Random rnd, long bound) {
        return Math.floorMod(rnd.nextLong(), bound);
    }

    /** Whisper's average rollup: known values summed in slot order, divided by their count; xFilesFactor 0.5. */
    private static double[] average(double[] fine, int ratio) {
        double[] coarse = new double[fine.length / ratio];
        for (int i = 0; i < coarse.length; i++) {
            double sum = 0;
            int known = 0;
            for (int j = i * ratio; j < (i + 1) * ratio; j++) {
                if (!Double.isNaN(fine[j])) {
                    sum += fine[j];
                    known++;
                }
            }
            coarse[i] = known * 2 >= ratio ? sum / known : Double.NaN;
        }
        return coarse;
    }

    /** Blocks of one archive, grouped for the report. */
    private static final class Archive {
        final String name;
        final List<double[]> blocks = new ArrayList<>();
        final List<String> groups = new ArrayList<>();

        Archive(String name) {
            this.name = name;
        }

        void add(double[] values, int blockCount, String group) {
            for (int b = 0; b < blockCount && (b + 1) * SLOTS <= values.length; b++) {
                double[] block = new double[SLOTS];
                System.arraycopy(values, b * SLOTS, block, 0, SLOTS);
                blocks.add(block);
                groups.add(group);
            }
        }

        /** Bytes per present point of the blocks in {@code group} (null: all). */
        double bytesPerPoint(BlockEncoder encoder, String group) throws CorruptBlockException {
            long bytes = 0;
            long points = 0;
            double[] out = new double[SLOTS];
            for (int i = 0; i < blocks.size(); i++) {
                if (group != null && !group.equals(groups.get(i))) {
                    continue;
                }
                double[] v = blocks.get(i);
                byte[] block = encoder.encode(v, SLOTS);
                BlockCodec.decode(block, 0, block.length, out);
                for (int s = 0; s < SLOTS; s++) {
                    assertThat(Double.doubleToRawLongBits(out[s])).isEqualTo(
                            Double.isNaN(v[s]) ? Double.doubleToRawLongBits(out[s]) : Double.doubleToRawLongBits(v[s]));
                    if (!Double.isNaN(v[s])) {
                        points++;
                    }
                }
                bytes += block.length;
            }
            return (double) bytes / points;
        }

        /** Mean encode time per block in microseconds (informative only). */
        double encodeMicros(BlockEncoder encoder) {
            GrowableBuffer out = new GrowableBuffer(16 * SLOTS);
            for (double[] v : blocks) {
                out.truncate(0);
                encoder.encode(v, SLOTS, out);
            }
            long start = System.nanoTime();
            for (int rep = 0; rep < TIMING_REPS; rep++) {
                for (double[] v : blocks) {
                    out.truncate(0);
                    encoder.encode(v, SLOTS, out);
                }
            }
            return (System.nanoTime() - start) / 1e3 / (TIMING_REPS * blocks.size());
        }
    }

    private static String group(Template t) {
        return switch (t.kind()) {
            case CONSTANT -> "constants";
            case COUNTER -> "counters";
            case GAUGE -> t.decimals() == 0 ? "integer gauges" : "decimal gauges";
        };
    }

    private static Archive[] build(double lossRate) {
        Archive raw = new Archive("10s raw");
        Archive minute = new Archive("1m avg");
        Archive hour = new Archive("1h avg");
        int hourPoints = HOUR_BLOCKS * SLOTS;
        int rawPoints = hourPoints * 360;
        for (int host = 0; host < HOSTS; host++) {
            for (int s = 0; s < HOST.size(); s++) {
                Template t = HOST.get(s);
                double[] r = raw(t, new Random(1000L * host + s), rawPoints, lossRate);
                double[] m = average(r, 6);
                double[] h = average(m, 60);
                raw.add(r, RAW_BLOCKS, group(t));
                minute.add(m, MINUTE_BLOCKS, group(t));
                hour.add(h, HOUR_BLOCKS, group(t));
            }
        }
        return new Archive[] {raw, minute, hour};
    }

    private static double[] report(String title, double lossRate) throws CorruptBlockException {
        Archive[] archives = build(lossRate);
        double[] before = new double[3];
        double[] after = new double[3];
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%s (%d series, 1024-slot blocks)%n| archive | blocks | bytes/point before | after |"
                        + " encode us/block before | after |%n|---|---:|---:|---:|---:|---:|%n",
                title, HOSTS * HOST.size()));
        try (BlockEncoder old = new BlockEncoder(true, false); BlockEncoder now = new BlockEncoder()) {
            for (int warm = 0; warm < 3; warm++) {
                for (Archive archive : archives) {
                    archive.encodeMicros(old);
                    archive.encodeMicros(now);
                }
            }
            for (int a = 0; a < 3; a++) {
                Archive archive = archives[a];
                before[a] = archive.bytesPerPoint(old, null);
                after[a] = archive.bytesPerPoint(now, null);
                table.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.1f | %.1f |%n", archive.name,
                        archive.blocks.size(), before[a], after[a], archive.encodeMicros(old),
                        archive.encodeMicros(now)));
            }
            for (String group : new String[] {"counters", "decimal gauges", "integer gauges", "constants"}) {
                for (int a = 1; a < 3; a++) {
                    table.append(String.format(Locale.ROOT, "| %s, %s | | %.3f | %.3f | | |%n", archives[a].name,
                            group, archives[a].bytesPerPoint(old, group), archives[a].bytesPerPoint(now, group)));
                }
            }
        }
        double storeBefore = before[0] + before[1] / 6 + before[2] / 360;
        double storeAfter = after[0] + after[1] / 6 + after[2] / 360;
        table.append(String.format(Locale.ROOT, "| **whole store per ingested point** (raw + 1m/6 + 1h/360) | | %.3f"
                + " | %.3f | | |%n", storeBefore, storeAfter));
        System.out.println(table);
        return new double[] {before[1], after[1], before[2], after[2], storeBefore, storeAfter};
    }

    /**
     * How often a 1 m average of 2-decimal gauge samples is exactly {@code decimal(K, 2) / 6} (the sum of the
     * samples rounded to the nearest double of K/100) and how often exactly {@code K / 600}: the floating sum may
     * carry rounding error; the residuals pay for the misses.
     */
    @Test
    void reportsHowOftenDecimalAveragesAreExact() {
        long total = 0;
        long exactSplit = 0;
        long exactWhole = 0;
        for (Template t : HOST) {
            if (t.kind() != Kind.GAUGE || t.decimals() != 2) {
                continue;
            }
            double[] m = average(raw(t, new Random(t.path().hashCode()), 6 * 20_000, 0), 6);
            for (double v : m) {
                long k = Math.round(v * 600);
                total++;
                if (Double.doubleToRawLongBits(BlockFormat.rational(k, 2, 6)) == Double.doubleToRawLongBits(v)) {
                    exactSplit++;
                }
                if (Double.doubleToRawLongBits((double) k / 600) == Double.doubleToRawLongBits(v)) {
                    exactWhole++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n2-decimal gauge 1m averages: %d values, exact as decimal(K,2)/6: %.1f%%,"
                + " exact as K/600: %.1f%%%n", total, 100.0 * exactSplit / total, 100.0 * exactWhole / total);
        assertThat(exactSplit).isPositive();
    }

    @Test
    void rationalModeShrinksWhisperAverages() throws CorruptBlockException {
        double[] r = report("Benchmark-like whisper archives, every point present", 0);
        assertThat(r[1]).as("1m averages").isLessThan(r[0] * 0.7);
        assertThat(r[3]).as("1h averages").isLessThanOrEqualTo(r[2]);
        assertThat(r[5]).as("whole store").isLessThan(r[4]);
    }

    @Test
    void rationalModeSurvivesLostPoints() throws CorruptBlockException {
        double[] r = report("Same with 1% of raw points lost (some averages over 5 or 4 points)", 0.01);
        assertThat(r[1]).as("1m averages").isLessThan(r[0] * 0.8);
        assertThat(r[5]).as("whole store").isLessThan(r[4]);
    }
}
