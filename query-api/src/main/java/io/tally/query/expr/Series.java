package io.tally.query.expr;

import io.tally.engine.api.SeriesData;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One series as render functions see it (graphite-web's {@code TimeSeries}): values for timestamps
 * {@code start + i * step * valuesPerPoint}, NaN for null, plus the naming state functions carry along.
 *
 * <p>Invariants: a series is immutable. {@link #values()} returns the backing array without copying, so code that
 * did not create the array must never write to it; every transform builds a new array and a new series with
 * {@link #toBuilder()}. {@code end} is whisper's exclusive end; when it is smaller than
 * {@code start + values.length * step} the output is truncated to the timestamps in {@code [start, end]}, as
 * graphite-web's {@code zip(values, range(start, end + 1, step))} does. Thread-safe by immutability.
 *
 * <ul>
 *   <li>{@code name}: the JSON {@code target}; renamed by transforms ({@code scale(x,2)}) and aliases.</li>
 *   <li>{@code pathExpression}: what aggregates print as their inputs ({@code sumSeries(a.*)}); the glob that matched
 *       a fetched series, the result name of a transform.</li>
 *   <li>{@code tags}: all tags as strings, sorted by key; {@code name} is always present.</li>
 *   <li>{@code consolidation} and {@code consolidationName}: how step normalisation and {@code maxDataPoints}
 *       fold buckets, and the spelling {@code consolidateBy} was given.</li>
 *   <li>{@code xFilesFactor}: the fraction of known values a folded bucket needs.</li>
 *   <li>{@code style}: drawing options for pictures ({@link SeriesStyle}), carried by every copy.</li>
 * </ul>
 */
public final class Series {
    private final String name;
    private final String pathExpression;
    private final Map<String, String> tags;
    private final long start;
    private final long end;
    private final long step;
    private final double[] values;
    private final ConsolidationFunction consolidation;
    private final String consolidationName;
    private final double xFilesFactor;
    private final int valuesPerPoint;
    private final SeriesStyle style;

    private Series(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.pathExpression = b.pathExpression != null ? b.pathExpression : b.name;
        this.tags = b.tags != null ? b.tags : Tags.parse(b.name);
        this.start = b.start;
        this.end = b.end;
        if (b.step <= 0) {
            throw new IllegalArgumentException("step must be positive: " + b.step);
        }
        this.step = b.step;
        this.values = Objects.requireNonNull(b.values, "values");
        this.consolidation = b.consolidation;
        this.consolidationName = b.consolidationName;
        this.xFilesFactor = b.xFilesFactor;
        this.valuesPerPoint = b.valuesPerPoint;
        this.style = Objects.requireNonNull(b.style, "style");
    }

    /** A new series named {@code name} whose tags are parsed from the name (graphite's TimeSeries constructor). */
    public static Builder builder(String name, long start, long end, long step, double[] values) {
        Builder b = new Builder();
        b.name = name;
        b.start = start;
        b.end = end;
        b.step = step;
        b.values = values;
        return b;
    }

    /**
     * A fetched series: named by its concrete path, tagged from it, remembering the path expression that matched it,
     * consolidated by default with its storage aggregation.
     */
    public static Series fetched(SeriesData d, String pathExpression, double xFilesFactor) {
        ConsolidationFunction f = ConsolidationFunction.of(d.aggregation());
        return builder(d.name(), d.start(), d.end(), d.step(), d.values())
                .pathExpression(pathExpression)
                .consolidation(f, f.graphiteName())
                .xFilesFactor(xFilesFactor)
                .build();
    }

    public String name() {
        return name;
    }

    public String pathExpression() {
        return pathExpression;
    }

    /** Tags as strings, sorted by key; unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long step() {
        return step;
    }

    /** The values without copying: never write to this array unless you built the series from it. */
    public double[] values() {
        return values;
    }

    public int size() {
        return values.length;
    }

    public double get(int i) {
        return values[i];
    }

    public ConsolidationFunction consolidation() {
        return consolidation;
    }

    /** The consolidation function as graphite names it in {@code consolidateBy(x,"max")}. */
    public String consolidationName() {
        return consolidationName;
    }

    public double xFilesFactor() {
        return xFilesFactor;
    }

    /** Raw values folded into each output value; 1 except after {@code maxDataPoints} consolidation. */
    public int valuesPerPoint() {
        return valuesPerPoint;
    }

    /** How the series is drawn in pictures; {@link SeriesStyle#DEFAULT} unless a Graph function set something. */
    public SeriesStyle style() {
        return style;
    }

    /** This series with another drawing style, values and names unchanged. */
    public Series withStyle(SeriesStyle newStyle) {
        return toBuilder().style(newStyle).build();
    }

    /** Seconds between output timestamps: {@code step * valuesPerPoint}. */
    public long outputStep() {
        return step * valuesPerPoint;
    }

    /**
     * Number of points the JSON answer shows: the values that have a timestamp in {@code [start, end]} (graphite-web
     * zips the values with {@code range(start, end + 1, step)}).
     */
    public int outputCount() {
        long s = outputStep();
        long timestamps = end >= start ? (end - start) / s + 1 : 0;
        return (int) Math.min(values.length, timestamps);
    }

    /** The tag map with one tag added or replaced. */
    public Map<String, String> tagsWith(String key, String value) {
        TreeMap<String, String> t = new TreeMap<>(tags);
        t.put(key, value);
        return Collections.unmodifiableMap(t);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.pathExpression = pathExpression;
        b.tags = tags;
        b.start = start;
        b.end = end;
        b.step = step;
        b.values = values;
        b.consolidation = consolidation;
        b.consolidationName = consolidationName;
        b.xFilesFactor = xFilesFactor;
        b.valuesPerPoint = valuesPerPoint;
        b.style = style;
        return b;
    }

    /** This series renamed, nothing else changed (graphite's {@code series.name = x}). */
    public Series withName(String newName) {
        return toBuilder().name(newName).build();
    }

    /**
     * The common transform result: new name (also the path expression), new values, one tag added; consolidation,
     * xFilesFactor and time range kept.
     */
    public Series transformed(String newName, double[] newValues, String tagKey, String tagValue) {
        Builder b = toBuilder().name(newName).pathExpression(newName).values(newValues);
        if (tagKey != null) {
            b.tags = tagsWith(tagKey, tagValue); // already a sorted, unmodifiable copy
        }
        return b.build();
    }

    /**
     * graphite's {@code series.copy(name=..., values=...)}: a new series with the path expression reset to the new
     * name and the tags, consolidation and xFilesFactor kept.
     */
    public Series copy(String newName, double[] newValues) {
        return toBuilder().name(newName).pathExpression(newName).values(newValues).build();
    }

    @Override
    public String toString() {
        return "Series(" + name + ", start=" + start + ", end=" + end + ", step=" + step + ", n=" + values.length + ")";
    }

    /** Mutable construction helper; {@link #build()} may be called once per configuration. */
    public static final class Builder {
        private String name;
        private String pathExpression;
        private Map<String, String> tags;
        private long start;
        private long end;
        private long step;
        private double[] values;
        private ConsolidationFunction consolidation = ConsolidationFunction.AVERAGE;
        private String consolidationName = "average";
        private double xFilesFactor;
        private int valuesPerPoint = 1;
        private SeriesStyle style = SeriesStyle.DEFAULT;

        private Builder() {
        }

        /** Renames; the tags stay as they are (call {@link #tags} to change them). */
        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder pathExpression(String v) {
            this.pathExpression = v;
            return this;
        }

        /** Tags (copied, sorted); null to parse them from the name. */
        public Builder tags(Map<String, String> v) {
            this.tags = v == null ? null : Collections.unmodifiableMap(new TreeMap<>(v));
            return this;
        }

        public Builder start(long v) {
            this.start = v;
            return this;
        }

        public Builder end(long v) {
            this.end = v;
            return this;
        }

        public Builder step(long v) {
            this.step = v;
            return this;
        }

        public Builder values(double[] v) {
            this.values = v;
            return this;
        }

        public Builder consolidation(ConsolidationFunction f, String graphiteName) {
            this.consolidation = f;
            this.consolidationName = graphiteName;
            return this;
        }

        public Builder xFilesFactor(double v) {
            this.xFilesFactor = v;
            return this;
        }

        public Builder valuesPerPoint(int v) {
            this.valuesPerPoint = v;
            return this;
        }

        /** Drawing options (pictures only); kept by {@link Series#toBuilder()} and so by every copy. */
        public Builder style(SeriesStyle v) {
            this.style = v;
            return this;
        }

        public Series build() {
            return new Series(this);
        }
    }
}
