package io.tally.engine.rules;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * carbon-aggregator's buffering and computation (spec §2.9): points of input metrics matched by
 * {@link AggregationRules} are buffered per output metric and per interval {@code ts - ts % frequency}, and
 * {@link #flush} emits {@code (interval, method(values))} into an {@link IngestSink}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>An output metric is configured by the rule that first produced it (frequency, method), as in carbon; a
 *       point matched by several rules producing the same output is counted once per rule.</li>
 *   <li>Each output is computed every {@code min(writeBackFrequency, frequency)} seconds (just {@code frequency}
 *       when {@code writeBackFrequency} is 0), at wall-clock multiples of that period, and on the first flush
 *       after it appears. A computation emits every interval that received values since the previous one — so an
 *       interval is emitted again with an updated value when late points arrive (downstream overwrites).</li>
 *   <li>An interval that received nothing for more than {@code maxAggregationIntervals × frequency} seconds (as
 *       seen by computations) is dropped, and so is an output without intervals. At most
 *       {@code maxAggregationIntervals + 2} intervals are kept per output: when a point opens one more, the oldest
 *       interval is evicted (its pending value, if any, is still emitted at the next computation); a point older
 *       than every kept interval of a full output is dropped and counted ({@link #droppedPoints()}).</li>
 *   <li>NaN input values are ignored (ingest drops them before); a NaN result (e.g. {@code +inf + -inf}) is not
 *       emitted. Sums add values in arrival order like Python's {@code sum} before 3.12.</li>
 *   <li>Percentiles ({@code p50 .. p999}) are carbon's ({@code rank = q × (n - 1)}, linear interpolation) exactly
 *       while an interval holds at most {@code maxRawValuesPerInterval} values; beyond that the interval switches to
 *       an HdrHistogram with 3 significant digits (within about 0.1% of carbon's value, see {@link ValueSketch}).
 *       The other methods keep running totals and are exact at any volume.</li>
 *   <li>{@link #shouldForward}: with {@code forwardAll} (carbon's {@code FORWARD_ALL}, default true) an input point
 *       is also stored as itself, unless its name equals an aggregate it produced; without it only aggregates are
 *       stored. Emitted aggregates must not be fed back into {@link #accept} (carbon sends them through a separate
 *       pipeline, without {@code [post]} rewrites).</li>
 *   <li>{@link #setRules} (a reload) discards every buffer, as carbon does.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * {@link #accept} is called concurrently by storage shard threads. Outputs are striped by the hash of their name
 * over {@code stripes} locks, each guarding a {@code HashMap<String, Output>} and everything reachable from it, so
 * threads contend only when they feed outputs of the same stripe, and there is no global lock per point. Per point
 * the cost is a cache lookup of the rule matches ({@link AggregationRules#match}), and per match one stripe lock, a
 * hash lookup and an update of a small sorted interval array; steady state allocates nothing (interval objects and
 * their value arrays are recycled). {@link #flush} and {@link #setRules} are serialised by their own lock and visit
 * the stripes one at a time, so they never stop all writers at once. Emission calls {@link IngestSink#offer}, which
 * never blocks, while holding a stripe lock.
 */
public final class Aggregator {

    /**
     * @param maxAggregationIntervals carbon's {@code MAX_AGGREGATION_INTERVALS}: idle intervals are dropped after this
     *                                many frequencies; {@code + 2} intervals are kept per output at most
     * @param maxRawValuesPerInterval percentile intervals keep raw values (exact) up to this count
     * @param writeBackFrequency      carbon's {@code WRITE_BACK_FREQUENCY} in seconds, 0 for none
     * @param forwardAll              carbon's {@code FORWARD_ALL}
     * @param stripes                 number of lock stripes (rounded up to a power of two)
     */
    public record Options(int maxAggregationIntervals, int maxRawValuesPerInterval, int writeBackFrequency,
                          boolean forwardAll, int stripes) {
        public Options {
            if (maxAggregationIntervals < 1) {
                throw new IllegalArgumentException("maxAggregationIntervals must be at least 1");
            }
            if (maxRawValuesPerInterval < 1) {
                throw new IllegalArgumentException("maxRawValuesPerInterval must be at least 1");
            }
            if (writeBackFrequency < 0) {
                throw new IllegalArgumentException("writeBackFrequency must not be negative");
            }
            if (stripes < 1 || stripes > (1 << 16)) {
                throw new IllegalArgumentException("stripes must be in [1, 65536]");
            }
        }

        /** carbon's defaults: 5 intervals, 10 000 raw values, no write-back frequency, forward all; 64 stripes. */
        public static Options defaults() {
            return new Options(5, 10_000, 0, true, 64);
        }

        public Options withMaxAggregationIntervals(int n) {
            return new Options(n, maxRawValuesPerInterval, writeBackFrequency, forwardAll, stripes);
        }

        public Options withMaxRawValuesPerInterval(int n) {
            return new Options(maxAggregationIntervals, n, writeBackFrequency, forwardAll, stripes);
        }

        public Options withWriteBackFrequency(int seconds) {
            return new Options(maxAggregationIntervals, maxRawValuesPerInterval, seconds, forwardAll, stripes);
        }

        public Options withForwardAll(boolean forward) {
            return new Options(maxAggregationIntervals, maxRawValuesPerInterval, writeBackFrequency, forward, stripes);
        }

        public Options withStripes(int n) {
            return new Options(maxAggregationIntervals, maxRawValuesPerInterval, writeBackFrequency, forwardAll, n);
        }
    }

    private final IngestSink sink;
    private final Options options;
    private final Stripe[] stripes;
    private final int mask;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final LongAdder droppedPoints = new LongAdder();
    private final LongAdder evictedIntervals = new LongAdder();
    private final LongAdder emittedPoints = new LongAdder();
    private volatile AggregationRules rules;

    public Aggregator(AggregationRules rules, IngestSink sink) {
        this(rules, sink, Options.defaults());
    }

    public Aggregator(AggregationRules rules, IngestSink sink, Options options) {
        this.rules = rules;
        this.sink = sink;
        this.options = options;
        int n = Integer.highestOneBit(options.stripes());
        if (n < options.stripes()) {
            n <<= 1;
        }
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        this.mask = n - 1;
    }

    /** Buffers one point of {@code metric} (a canonical name) for every aggregate it feeds. Thread-safe. */
    public void accept(String metric, long timestamp, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        List<AggregationRules.Match> matches = rules.match(metric);
        for (int i = 0, n = matches.size(); i < n; i++) {
            AggregationRules.Match m = matches.get(i);
            String out = m.output();
            Stripe s = stripes[spread(out.hashCode()) & mask];
            s.lock.lock();
            try {
                Output o = s.outputs.get(out);
                if (o == null) {
                    byte[] name = out.getBytes(StandardCharsets.UTF_8);
                    if (name.length > PointBatch.MAX_NAME_BYTES) {
                        droppedPoints.increment();
                        continue;
                    }
                    o = new Output(name, m.rule(), options);
                    s.outputs.put(out, o);
                }
                o.add(timestamp, value, this);
            } finally {
                s.lock.unlock();
            }
        }
    }

    /**
     * Computes every output whose time has come at {@code nowSeconds} and emits the intervals that received values
     * since its previous computation; drops idle intervals and outputs. Call it about once a second from one
     * scheduler thread (concurrent calls are serialised).
     */
    public void flush(long nowSeconds) {
        flushLock.lock();
        try {
            Emitter emitter = new Emitter(sink);
            for (Stripe s : stripes) {
                s.lock.lock();
                try {
                    Iterator<Output> it = s.outputs.values().iterator();
                    while (it.hasNext()) {
                        if (it.next().flush(nowSeconds, emitter, options)) {
                            it.remove();
                        }
                    }
                } finally {
                    s.lock.unlock();
                }
            }
            emitter.finish();
            emittedPoints.add(emitter.emitted);
        } finally {
            flushLock.unlock();
        }
    }

    /** carbon's {@code FORWARD_ALL}. */
    public boolean forwardAll() {
        return options.forwardAll();
    }

    /**
     * Whether the engine should also store the input point of {@code metric} as itself: with {@link #forwardAll()},
     * unless {@code metric} equals the name of an aggregate it feeds; without it, never.
     */
    public boolean shouldForward(String metric) {
        if (!options.forwardAll()) {
            return false;
        }
        List<AggregationRules.Match> matches = rules.match(metric);
        for (int i = 0, n = matches.size(); i < n; i++) {
            if (matches.get(i).output().equals(metric)) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the rules (a reload) and discards every buffer, as carbon does. */
    public void setRules(AggregationRules newRules) {
        flushLock.lock();
        try {
            rules = newRules;
            for (Stripe s : stripes) {
                s.lock.lock();
                try {
                    s.outputs.clear();
                } finally {
                    s.lock.unlock();
                }
            }
        } finally {
            flushLock.unlock();
        }
    }

    public AggregationRules rules() {
        return rules;
    }

    public Options options() {
        return options;
    }

    /** Output metrics currently buffered. */
    public int bufferedOutputs() {
        int n = 0;
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                n += s.outputs.size();
            } finally {
                s.lock.unlock();
            }
        }
        return n;
    }

    /** Points not buffered: older than every kept interval of a full output, or an output name too long. */
    public long droppedPoints() {
        return droppedPoints.sum();
    }

    /** Intervals evicted early because a point opened one more than the per-output maximum. */
    public long evictedIntervals() {
        return evictedIntervals.sum();
    }

    /** Aggregate points handed to the sink so far. */
    public long emittedPoints() {
        return emittedPoints.sum();
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final HashMap<String, Output> outputs = new HashMap<>();
    }

    /** Batches emitted points; owned by one flush. */
    private static final class Emitter {
        final IngestSink sink;
        PointBatch batch;
        long emitted;

        Emitter(IngestSink sink) {
            this.sink = sink;
        }

        void emit(byte[] name, long timestamp, double value) {
            if (Double.isNaN(value)) {
                return;
            }
            if (batch == null) {
                batch = sink.newBatch();
            }
            if (!batch.add(name, 0, name.length, timestamp, value)) {
                sink.offer(batch);
                batch = sink.newBatch();
                if (!batch.add(name, 0, name.length, timestamp, value)) {
                    return;
                }
            }
            emitted++;
        }

        void finish() {
            if (batch != null && !batch.isEmpty()) {
                sink.offer(batch);
            }
            batch = null;
        }
    }

    /** One output metric's intervals. Guarded by its stripe's lock. */
    private static final class Output {
        final byte[] name;
        final AggregationRules.Method method;
        final int frequency;
        final long computeEvery;
        final long idleSeconds;
        final int rawLimit;
        /** [0, size) live intervals sorted by start; [size, length) recycled objects or null. */
        final Interval[] intervals;
        int size;
        long nextCompute = Long.MIN_VALUE;
        /** Values of intervals evicted before they were emitted, emitted at the next computation. */
        long[] pendingStarts = new long[0];
        double[] pendingValues = new double[0];
        int pending;

        Output(byte[] name, AggregationRules.Rule rule, Options options) {
            this.name = name;
            this.method = rule.method();
            this.frequency = rule.frequency();
            int wb = options.writeBackFrequency();
            this.computeEvery = wb > 0 ? Math.min(wb, frequency) : frequency;
            this.idleSeconds = (long) options.maxAggregationIntervals() * frequency;
            this.rawLimit = options.maxRawValuesPerInterval();
            this.intervals = new Interval[options.maxAggregationIntervals() + 2];
        }

        void add(long timestamp, double value, Aggregator owner) {
            long start = timestamp - Math.floorMod(timestamp, frequency);
            int at = 0;
            for (int i = size - 1; i >= 0; i--) {
                long s = intervals[i].start;
                if (s == start) {
                    intervals[i].add(value);
                    return;
                }
                if (s < start) {
                    at = i + 1;
                    break;
                }
            }
            Interval iv;
            if (size == intervals.length) {
                if (at == 0) {
                    owner.droppedPoints.increment();
                    return;
                }
                iv = intervals[0];
                if (iv.active) {
                    addPending(iv.start, iv.compute(method));
                }
                owner.evictedIntervals.increment();
                System.arraycopy(intervals, 1, intervals, 0, at - 1);
                at--;
            } else {
                iv = intervals[size];
                if (iv == null) {
                    iv = new Interval();
                }
                System.arraycopy(intervals, at, intervals, at + 1, size - at);
                size++;
            }
            iv.reset(start, method.isPercentile(), rawLimit);
            intervals[at] = iv;
            iv.add(value);
        }

        private void addPending(long start, double value) {
            if (pending == pendingStarts.length) {
                int n = Math.max(4, pending * 2);
                pendingStarts = Arrays.copyOf(pendingStarts, n);
                pendingValues = Arrays.copyOf(pendingValues, n);
            }
            pendingStarts[pending] = start;
            pendingValues[pending] = value;
            pending++;
        }

        /** Computes if due; returns true when this output holds nothing any more and can be forgotten. */
        boolean flush(long now, Emitter emitter, Options options) {
            if (now < nextCompute) {
                return false;
            }
            nextCompute = now - Math.floorMod(now, computeEvery) + computeEvery;
            for (int i = 0; i < pending; i++) {
                emitter.emit(name, pendingStarts[i], pendingValues[i]);
            }
            if (pending > 0) {
                pending = 0;
                pendingStarts = new long[0];
                pendingValues = new double[0];
            }
            int kept = 0;
            for (int i = 0; i < size; i++) {
                Interval iv = intervals[i];
                if (iv.active) {
                    emitter.emit(name, iv.start, iv.compute(method));
                    iv.active = false;
                    iv.lastActive = now;
                }
                if (now - iv.lastActive <= idleSeconds) {
                    intervals[i] = intervals[kept];
                    intervals[kept++] = iv;
                }
            }
            size = kept;
            return size == 0;
        }
    }

    /** One interval's accumulated values. */
    private static final class Interval {
        long start;
        boolean active;
        long lastActive;
        long count;
        double sum;
        double min;
        double max;
        double last;
        ValueSketch values;

        void reset(long start, boolean percentile, int rawLimit) {
            this.start = start;
            active = false;
            lastActive = Long.MIN_VALUE;
            count = 0;
            sum = 0;
            if (percentile) {
                if (values == null) {
                    values = new ValueSketch(rawLimit);
                } else {
                    values.clear();
                }
            } else {
                values = null;
            }
        }

        void add(double v) {
            if (count == 0 || v < min) {
                min = v;
            }
            if (count == 0 || v > max) {
                max = v;
            }
            count++;
            sum += v;
            last = v;
            active = true;
            if (values != null) {
                values.add(v);
            }
        }

        double compute(AggregationRules.Method method) {
            return switch (method) {
                case SUM -> sum;
                case AVG -> sum / count;
                case MIN -> min;
                case MAX -> max;
                case COUNT -> count;
                case LAST -> last;
                default -> values.quantile(method.quantile);
            };
        }
    }
}
