package io.tally.alerting;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One validated alert definition (spec 4.2): immutable, built only by {@link DefinitionParser}. Durations are in
 * seconds; absent thresholds are NaN. {@code target} may hold {@code ${region}}, replaced per region instance.
 *
 * @param consecutive how many evaluations in a row a worse state must be seen before it is taken (with {@code for}:
 *                    both must hold); 0 or 1 means no such condition
 * @param inhibit     rules that mute this alert while another one fires (spec 4.4)
 * @param scope       {@code query.scope}: {@link Scope#FEDERATED} declares a cross-region target (only accepted on a
 *                    node with a federation)
 * @param missingRegions {@code query.missing_regions}: what a region missing from the answer does (any scope)
 * @param source where it came from: a file path, or {@code api} for definitions made through the JSON API
 */
public record AlertDefinition(String id, String name, String description, String group, Map<String, String> labels,
                              Map<String, String> annotations, boolean enabled, String visibility,
                              List<String> regions, String target, long windowSeconds, long offsetSeconds,
                              Smoothing smoothing, Scope scope, MissingRegions missingRegions,
                              long intervalSeconds, Reducer reduce, SeriesMode series,
                              int minSeries, int maxFailingSeries, Condition condition, long forSeconds, int consecutive,
                              long keepFiringForSeconds, Flap flap, Policy noData, int minPoints, Policy onError,
                              int staleAfterIntervals, List<ActiveWindow> active, long repeatSeconds,
                              List<Notify> subscriptions, List<Inhibit> inhibit, String source,
                              Predictive predictive, Compare compare) {

    public AlertDefinition {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        regions = List.copyOf(regions);
        active = List.copyOf(active);
        subscriptions = List.copyOf(subscriptions);
        inhibit = List.copyOf(inhibit);
    }

    /** The target with {@code ${region}} replaced, smoothing applied (Tattle's moving window over the sample). */
    public String targetFor(String region) {
        String t = substitute(target, region);
        return switch (smoothing) {
            case NONE -> t;
            case MOVING_AVERAGE -> "movingAverage(" + t + ",'" + windowSeconds + "s')";
            case MOVING_MEDIAN -> "movingMedian(" + t + ",'" + windowSeconds + "s')";
        };
    }

    /** {@code text} with every {@code ${region}} replaced by {@code region}. */
    public static String substitute(String text, String region) {
        return text.replace("${region}", region);
    }

    /** True when {@code regions} names this region, or is {@code ["*"]}. */
    public boolean coversRegion(String region) {
        return regions.contains("*") || regions.contains(region);
    }

    /** The reducer and window as the plugin text shows them, e.g. {@code avg10m}. */
    public String measureLabel() {
        if (compare != null) {
            // the value judged against the peers, e.g. ratio(median15m vs peers)
            return compare.mode().lower() + "(" + reduce.label() + Durations.format(windowSeconds) + " vs peers)";
        }
        if (predictive != null) {
            // standard deviations from the earlier periods: "z" or "|z|" (both), e.g. z(avg10m vs 4 weekly)
            return (condition.direction() == Direction.BOTH ? "|z|" : "z") + "(" + reduce.label()
                    + Durations.format(windowSeconds) + " vs " + predictive.periods() + " " + predictive.period() + ")";
        }
        return reduce.label() + Durations.format(windowSeconds);
    }

    /**
     * Tattle's predictive check ({@code type: predictive}): the window is also read at the same time of the
     * {@code periods} previous days, weeks or 4-week months, each reduced like the current one; their mean (or
     * median, {@code stat: median}) and sample standard deviation turn the current value into
     * {@code z = (current - centre) / sd}, which the condition compares in standard deviations ({@code both}: |z|).
     */
    public record Predictive(String period, long periodSeconds, int periods, boolean median) {
    }

    /**
     * {@code compare}: each series' reduced value is judged against {@code peers}, a second target (with
     * {@code ${region}}) read over the same window and reduced the same way, each of its series one peer: the
     * value divided by the peers' mean (ratio), minus it (difference), their difference in percent of it
     * (percent), or in the peers' sample standard deviations (zscore, at least two peers). Fewer than
     * {@code minPeers} peer series with data is no data.
     */
    public record Compare(String peers, CompareMode mode, int minPeers) {
        public String peersFor(String region) {
            return substitute(peers, region);
        }
    }

    public enum CompareMode {
        RATIO, DIFFERENCE, PERCENT, ZSCORE;

        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Smoothing { NONE, MOVING_AVERAGE, MOVING_MEDIAN }

    /** {@code query.scope}: this region's store, or a target that crosses regions through the federation. */
    public enum Scope {
        LOCAL, FEDERATED;

        public String lower() {
            return this == LOCAL ? "local" : "federated";
        }
    }

    /**
     * {@code query.missing_regions}: what an answer with regions missing (a peer timed out, is unreachable, refused
     * the secret, or its circuit breaker is open) turns into. {@link #ERROR}: an error, through {@code on_error}
     * (spec 4.3 step 2); {@link #IGNORE}: evaluate the series that came back; {@link #UNKNOWN}, {@link #WARNING},
     * {@link #CRITICAL}: that state at once.
     */
    public enum MissingRegions {
        ERROR, IGNORE, UNKNOWN, WARNING, CRITICAL;

        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The state set at once, or null for ERROR (on_error decides) and IGNORE. */
        public PolicyKind policy() {
            return switch (this) {
                case UNKNOWN -> PolicyKind.UNKNOWN;
                case WARNING -> PolicyKind.WARNING;
                case CRITICAL -> PolicyKind.CRITICAL;
                default -> null;
            };
        }
    }

    /** How the per-series values combine into the instance's value (spec 4.2 {@code series}). */
    public enum SeriesMode { EACH, WORST, SUM, AVG, MAX, MIN, FIRST }

    public enum Direction {
        /** {@code both} is for predictive checks: the value is |z|, compared as {@code above}. */
        ABOVE, BELOW, OUTSIDE, INSIDE, BOTH;

        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** outside and inside take ranges {@code [low, high]} as thresholds. */
        public boolean ranged() {
            return this == OUTSIDE || this == INSIDE;
        }
    }

    /**
     * Thresholds. Above and below: a value breaches {@code t} when it is {@code >= t} (above; {@code >} without
     * {@code inclusive}) or {@code <= t} (below). Outside and inside take Nagios ranges: warn is {@code [warn,
     * warnHigh]}, crit is {@code [crit, critHigh]}; outside breaches when the value lies outside the range, inside
     * when it lies within it; the range holds its endpoints unless {@code inclusive} is false. {@code recoverWarn}
     * and {@code recoverCrit} (above and below only; NaN when absent): a state is left only once the value no longer
     * breaches the recover level (hysteresis). {@code warnHigh} and {@code critHigh} are NaN for above and below.
     */
    public record Condition(Direction direction, double warn, double crit, boolean inclusive, double recoverWarn,
                            double recoverCrit, double warnHigh, double critHigh) {

        /** An above or below condition. */
        public Condition(Direction direction, double warn, double crit, boolean inclusive, double recoverWarn,
                         double recoverCrit) {
            this(direction, warn, crit, inclusive, recoverWarn, recoverCrit, Double.NaN, Double.NaN);
        }

        /** Above and below: whether {@code value} is on the breaching side of {@code threshold}. */
        public boolean breaches(double value, double threshold) {
            if (Double.isNaN(threshold) || Double.isNaN(value) || direction.ranged()) {
                return false;
            }
            if (direction == Direction.ABOVE || direction == Direction.BOTH) {
                return inclusive ? value >= threshold : value > threshold;
            }
            return inclusive ? value <= threshold : value < threshold;
        }

        public boolean breachesWarn(double value) {
            return direction.ranged() ? breachesRange(value, warn, warnHigh) : breaches(value, warn);
        }

        public boolean breachesCrit(double value) {
            return direction.ranged() ? breachesRange(value, crit, critHigh) : breaches(value, crit);
        }

        private boolean breachesRange(double value, double low, double high) {
            if (Double.isNaN(low) || Double.isNaN(value)) {
                return false;
            }
            boolean within = inclusive ? value >= low && value <= high : value > low && value < high;
            return direction == Direction.OUTSIDE ? !within : within;
        }

        /**
         * How far {@code value} lies on the breaching side (larger is worse), to pick the worst point or series:
         * above the value, below its negation, outside the distance beyond the nearer bound of the warn range (crit
         * without warn; negative within it), inside the distance inward from the nearer bound.
         */
        public double badness(double value) {
            return switch (direction) {
                case ABOVE, BOTH -> value;
                case BELOW -> -value;
                default -> {
                    double low = Double.isNaN(warn) ? crit : warn;
                    double high = Double.isNaN(warn) ? critHigh : warnHigh;
                    double beyond = Math.max(low - value, value - high);
                    yield direction == Direction.OUTSIDE ? beyond : -beyond;
                }
            };
        }

        /** 2 when {@code value} breaches crit, 1 when it breaches warn, else 0 (no hysteresis). */
        public int severity(double value) {
            return breachesCrit(value) ? 2 : breachesWarn(value) ? 1 : 0;
        }

        /** The comparison operator line 1 of the plugin text shows for a breach. */
        public String op() {
            return switch (direction) {
                case ABOVE, BOTH -> inclusive ? ">=" : ">";
                case BELOW -> inclusive ? "<=" : "<";
                case OUTSIDE -> "outside";
                case INSIDE -> "inside";
            };
        }

        /** The operator for "does not breach". */
        public String okOp() {
            return switch (direction) {
                case ABOVE, BOTH -> inclusive ? "<" : "<=";
                case BELOW -> inclusive ? ">" : ">=";
                case OUTSIDE -> "inside";
                case INSIDE -> "outside";
            };
        }
    }

    /** {@code kind} with its parameter: the percentile (0..100) or the fraction (0..1); NaN otherwise. */
    public record Reducer(Kind kind, double param, String label) {
        public enum Kind { LAST, AVG, MEDIAN, MIN, MAX, SUM, COUNT, PERCENTILE, ANY, ALL, FRACTION }
    }

    /** Percent state change over the last {@code history} results: flapping above {@code high}, cleared below {@code low}. */
    public record Flap(int history, double low, double high) {
    }

    /** What no data (or an error) turns into once it has lasted {@code afterSeconds}; until then the state is kept. */
    public record Policy(PolicyKind kind, long afterSeconds) {
    }

    public enum PolicyKind {
        OK, WARNING, CRITICAL, UNKNOWN, KEEP_LAST;

        /** The state this policy sets, or null for {@link #KEEP_LAST}. */
        public State state() {
            return switch (this) {
                case OK -> State.OK;
                case WARNING -> State.WARNING;
                case CRITICAL -> State.CRITICAL;
                case UNKNOWN -> State.UNKNOWN;
                case KEEP_LAST -> null;
            };
        }
    }

    /**
     * Tattle's Period: days (bit 0 = Monday) and inclusive minutes of the day in a zone; {@code from > to} wraps past
     * midnight, the part after midnight belonging to the day it started on.
     */
    public record ActiveWindow(int days, int fromMinute, int toMinute, ZoneId zone) {

        public boolean contains(long epochSeconds) {
            ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
            int minute = t.getHour() * 60 + t.getMinute();
            DayOfWeek day = t.getDayOfWeek();
            if (fromMinute <= toMinute) {
                return has(day) && minute >= fromMinute && minute <= toMinute;
            }
            return (has(day) && minute >= fromMinute) || (has(day.minus(1)) && minute <= toMinute);
        }

        private boolean has(DayOfWeek d) {
            return (days & (1 << (d.getValue() - 1))) != 0;
        }
    }

    /**
     * Mutes this alert's instance while an instance of {@code sourceAlert} is WARNING or CRITICAL, where the two
     * agree on every label in {@code equal} ({@code region}, {@code group} or the alerts' labels).
     */
    public record Inhibit(String sourceAlert, List<String> equal) {
        public Inhibit {
            equal = List.copyOf(equal);
        }
    }

    /**
     * A notification subscription: a webhook {@code url} (or a named one from the configuration, {@code ref}),
     * for state changes into (and recoveries out of) {@code states}, and repeats while in them.
     */
    public record Notify(String method, String ref, String url, Set<State> states, boolean enabled) {
        public Notify {
            states = Set.copyOf(states);
        }
    }
}
