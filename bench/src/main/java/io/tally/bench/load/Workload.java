package io.tally.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The deterministic data set of one load run: series names, their value at every step, and the Graphite plaintext
 * lines ({@code name value timestamp\n}) laid out per connection and per step.
 *
 * <p>Layout: series {@code i} is metric {@code i % 50} of simulated host {@code i / 50}; host {@code h} is named
 * {@code app<(h/5)%20>.<region h%5>.host<h/100, 3 digits>} and reports over connection {@code h % connections}, so a
 * connection carries whole hosts, as a real reporter would. Names are 5 or 6 nodes deep.
 *
 * <p>Determinism: every random draw is a hash of (seed, series, step, purpose), and each series keeps its own running
 * state (counter total, gauge level), so the bytes of a series do not depend on the number of connections nor on
 * the order in which series are generated. The same arguments always give the same lines.
 *
 * <p>Not thread-safe; built and encoded once by one thread before any sending starts.
 */
final class Workload {

    /** Shape of the values. */
    enum Shape {
        /** {@link MetricTemplate#REALISTIC_HOST}: counters, decimal and integer gauges, constants. */
        REALISTIC,
        /** Same names, every value uniform random noise with two decimals: worst case for compression. */
        NOISE
    }

    static final List<String> REGIONS = List.of("us-east", "us-west", "eu-west", "eu-central", "ap-south");
    static final int APPS = 20;
    static final int METRICS_PER_HOST = MetricTemplate.REALISTIC_HOST.size();

    /** Bytes one line takes at most besides its name: space, number, space, timestamp, newline. */
    private static final int LINE_OVERHEAD = 1 + AsciiFormat.MAX_NUMBER_BYTES + 1 + 20 + 1;

    private final int seriesCount;
    private final int points;
    private final int stepSeconds;
    private final long startEpoch;
    private final long seed;
    private final Shape shape;
    private final int connections;
    private final byte[][] names;
    private final int[][] seriesByConnection;
    private final MetricTemplate[] templates;

    Workload(int seriesCount, int points, int stepSeconds, long startEpoch, long seed, Shape shape, int connections) {
        this(seriesCount, points, stepSeconds, startEpoch, seed, shape, connections, "");
    }

    /** @param namePrefix a name node put before every series name (with a dot), or "" for none */
    Workload(int seriesCount, int points, int stepSeconds, long startEpoch, long seed, Shape shape, int connections,
            String namePrefix) {
        if (seriesCount < 1 || points < 1 || stepSeconds < 1 || connections < 1 || startEpoch < 0) {
            throw new IllegalArgumentException("series, points, step and connections must be positive, start >= 0");
        }
        this.seriesCount = seriesCount;
        this.points = points;
        this.stepSeconds = stepSeconds;
        this.startEpoch = startEpoch;
        this.seed = seed;
        this.shape = shape;
        this.connections = connections;
        this.templates = MetricTemplate.REALISTIC_HOST.stream()
                .map(t -> shape == Shape.NOISE ? MetricTemplate.noise(t.path()) : t)
                .toArray(MetricTemplate[]::new);
        this.names = new byte[seriesCount][];
        for (int s = 0; s < seriesCount; s++) {
            names[s] = ((namePrefix.isEmpty() ? "" : namePrefix + ".") + nameOf(s)).getBytes(StandardCharsets.US_ASCII);
        }
        this.seriesByConnection = new int[connections][];
        int[] counts = new int[connections];
        for (int s = 0; s < seriesCount; s++) {
            counts[connectionOf(s)]++;
        }
        for (int c = 0; c < connections; c++) {
            seriesByConnection[c] = new int[counts[c]];
        }
        int[] filled = new int[connections];
        for (int s = 0; s < seriesCount; s++) {
            int c = connectionOf(s);
            seriesByConnection[c][filled[c]++] = s;
        }
    }

    /** The full dotted name of series {@code s}. */
    static String nameOf(int s) {
        int host = s / METRICS_PER_HOST;
        String hostNumber = Integer.toString(host / (REGIONS.size() * APPS));
        return "app" + (host / REGIONS.size()) % APPS
                + '.' + REGIONS.get(host % REGIONS.size())
                + ".host" + "0".repeat(Math.max(0, 3 - hostNumber.length())) + hostNumber
                + '.' + MetricTemplate.REALISTIC_HOST.get(s % METRICS_PER_HOST).path();
    }

    String name(int s) {
        return new String(names[s], StandardCharsets.US_ASCII);
    }

    int connectionOf(int s) {
        return (s / METRICS_PER_HOST) % connections;
    }

    /** Series sent over connection {@code c}, in the order they appear within every step. */
    int[] seriesOf(int c) {
        return seriesByConnection[c].clone();
    }

    int seriesCount() {
        return seriesCount;
    }

    int points() {
        return points;
    }

    int stepSeconds() {
        return stepSeconds;
    }

    int connections() {
        return connections;
    }

    long startEpoch() {
        return startEpoch;
    }

    /** Timestamp of point {@code step} of every series. */
    long timestamp(int step) {
        return startEpoch + (long) step * stepSeconds;
    }

    /** Epoch second just after the last point. */
    long endEpoch() {
        return timestamp(points);
    }

    long totalPoints() {
        return (long) seriesCount * points;
    }

    /**
     * Up to {@code n} distinct series to probe for queryability: first the series each connection sends last (the
     * last to arrive), then series spread evenly over the whole set.
     */
    int[] sample(int n) {
        Set<Integer> picked = new LinkedHashSet<>();
        for (int c = 0; c < connections && picked.size() < n; c++) {
            int[] own = seriesByConnection[c];
            if (own.length > 0) {
                picked.add(own[own.length - 1]);
            }
        }
        int want = Math.min(n, seriesCount);
        for (int i = 0; picked.size() < want && i < want; i++) {
            picked.add((int) ((long) i * seriesCount / want));
        }
        for (int s = 0; picked.size() < want; s++) {
            picked.add(s);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Encodes all lines: result {@code [connection][step]} is a direct buffer, ready to read, with the lines of that
     * connection for that step. Steps are generated in time order, as values are running state.
     */
    ByteBuffer[][] encode() {
        final ValueState state = new ValueState();
        int scratchSize = 0;
        for (int c = 0; c < connections; c++) {
            int size = 0;
            for (int s : seriesByConnection[c]) {
                size += names[s].length + LINE_OVERHEAD;
            }
            scratchSize = Math.max(scratchSize, size);
        }
        byte[] scratch = new byte[scratchSize];
        ByteBuffer[][] out = new ByteBuffer[connections][points];
        for (int step = 0; step < points; step++) {
            long ts = timestamp(step);
            for (int c = 0; c < connections; c++) {
                int pos = 0;
                for (int s : seriesByConnection[c]) {
                    byte[] name = names[s];
                    System.arraycopy(name, 0, scratch, pos, name.length);
                    pos += name.length;
                    scratch[pos++] = ' ';
                    pos = state.writeNext(scratch, pos, s, step);
                    scratch[pos++] = ' ';
                    pos = AsciiFormat.writeLong(scratch, pos, ts);
                    scratch[pos++] = '\n';
                }
                ByteBuffer chunk = ByteBuffer.allocateDirect(pos);
                chunk.put(scratch, 0, pos).flip();
                out[c][step] = chunk;
            }
        }
        return out;
    }

    /** The text of one encoded chunk, for tests and {@code --print-lines}; leaves the buffer's position alone. */
    static String text(ByteBuffer chunk) {
        ByteBuffer copy = chunk.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** Uniform draw in {@code [0, bound)} from (seed, series, step, salt); bound > 0. */
    private long draw(int series, int step, int salt, long bound) {
        long z = seed + series * 0x9E3779B97F4A7C15L + (step * 4L + salt) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Math.floorMod(z, bound);
    }

    /** Running value and counter rate of every series; advanced one step at a time. */
    private final class ValueState {
        private final long[] value = new long[seriesCount];
        private final long[] rate = new long[seriesCount];
        private final int[] nextStep = new int[seriesCount];

        int writeNext(byte[] buf, int pos, int s, int step) {
            if (nextStep[s] != step) {
                throw new IllegalStateException("series " + s + " advanced out of order: " + step);
            }
            nextStep[s]++;
            MetricTemplate t = templates[s % METRICS_PER_HOST];
            long v = advance(t, s, step);
            return AsciiFormat.writeFixed(buf, pos, v, t.decimals());
        }

        private long advance(MetricTemplate t, int s, int step) {
            long span = t.high() - t.low() + 1;
            switch (t.kind()) {
                case CONSTANT -> value[s] = t.low();
                case NOISE -> value[s] = t.low() + draw(s, step, 0, span);
                case COUNTER -> {
                    if (step == 0) {
                        rate[s] = t.low() + draw(s, 0, 1, span);
                        value[s] = draw(s, 0, 2, 100_000) * Math.max(1, rate[s]);
                    } else {
                        value[s] += increment(t, s, step);
                    }
                }
                case GAUGE -> {
                    if (step == 0) {
                        value[s] = t.low() + draw(s, 0, 1, span);
                    } else {
                        long next = value[s] + draw(s, step, 1, 2 * t.spread() + 1) - t.spread();
                        value[s] = Math.min(t.high(), Math.max(t.low(), next));
                    }
                }
            }
            return value[s];
        }

        private long increment(MetricTemplate t, int s, int step) {
            long r = rate[s];
            if (t.low() == t.high()) {
                return r;
            }
            if (r < 4) {
                return draw(s, step, 1, 2 * r + 1);
            }
            return r - r / 4 + draw(s, step, 1, r / 2 + 1);
        }
    }

    @Override
    public String toString() {
        return seriesCount + " series x " + points + " points, step " + stepSeconds + " s from " + startEpoch
                + ", shape " + shape.name().toLowerCase() + ", seed " + seed + ", " + connections + " connections"
                + " (series per connection: " + Arrays.toString(Arrays.stream(seriesByConnection).mapToInt(a -> a.length).toArray()) + ")";
    }
}
