package io.tally.engine.util;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;

/**
 * Latencies of one kind of operation (a render, a find, an alert round), recorded from any thread without locks
 * (HdrHistogram's {@link Recorder}, microsecond resolution, three significant digits). Each
 * {@link MetricsRegistry#snapshot()} reports the interval since the previous snapshot as
 * {@code <name>.p50}, {@code .p99} and {@code .max} in milliseconds and {@code .count}; the self-metrics reporter
 * is the one consumer that takes snapshots, so its interval is the reporting interval.
 */
public final class LatencyTimer {
    private final Recorder recorder = new Recorder(3);
    private Histogram reuse;

    /** Records one operation that took {@code nanos}. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos / 1_000));
    }

    /** Adds this interval's figures under {@code name} to {@code out} and starts a new interval. */
    synchronized void drainInto(String name, Map<String, Double> out) {
        Histogram h = recorder.getIntervalHistogram(reuse);
        reuse = h;
        long n = h.getTotalCount();
        out.put(name + ".count", (double) n);
        out.put(name + ".p50", n == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0);
        out.put(name + ".p99", n == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0);
        out.put(name + ".max", n == 0 ? 0 : h.getMaxValue() / 1000.0);
    }
}
