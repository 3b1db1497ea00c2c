package io.tally.alerting;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw outcome of one evaluation (spec 4.3 steps 1-5), before policies and timing.
 *
 * @param kind       OK, WARNING, CRITICAL, or NO_DATA / ERROR
 * @param value      the reduced value that decided (NaN when none)
 * @param points     non-null points that took part
 * @param series     series that had data
 * @param seriesName the series that decided (worst/first/each), or null when the series were combined
 * @param detail     why: the error message, or what "no data" means here ("0 series matched")
 * @param perSeries  each series' value and level, for {@code series: each} and the instance JSON
 * @param missingRegions regions missing from a federated answer (region → reason such as {@code timeout}), sorted
 * @param missingPolicy  for an ERROR caused by missing regions under {@code missing_regions: unknown|warning|critical}:
 *                       the state to take at once instead of {@code on_error}; null otherwise
 */
public record Evaluation(Kind kind, double value, int points, int series, String seriesName, String detail,
                         List<SeriesValue> perSeries, Map<String, String> missingRegions,
                         AlertDefinition.PolicyKind missingPolicy) {

    public Evaluation {
        perSeries = List.copyOf(perSeries);
        missingRegions = missingRegions.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(missingRegions));
    }

    /** A complete answer's outcome. */
    public Evaluation(Kind kind, double value, int points, int series, String seriesName, String detail,
                      List<SeriesValue> perSeries) {
        this(kind, value, points, series, seriesName, detail, perSeries, Map.of(), null);
    }

    /** This outcome, noting the regions that were missing from the answer it was made from. */
    Evaluation partial(Map<String, String> missing) {
        String note = missingText(missing);
        return new Evaluation(kind, value, points, series, seriesName, detail.isEmpty() ? note : detail + "; " + note,
                perSeries, missing, missingPolicy);
    }

    /** {@code region r2 missing (timeout)}, or {@code regions missing: r2 (timeout), r3 (unreachable)}. */
    static String missingText(Map<String, String> missing) {
        if (missing.size() == 1) {
            Map.Entry<String, String> e = missing.entrySet().iterator().next();
            return "region " + e.getKey() + " missing (" + e.getValue() + ")";
        }
        StringBuilder b = new StringBuilder("regions missing: ");
        new TreeMap<>(missing).forEach((r, why) -> {
            if (b.length() > "regions missing: ".length()) {
                b.append(", ");
            }
            b.append(r).append(" (").append(why).append(')');
        });
        return b.toString();
    }

    public enum Kind {
        OK, WARNING, CRITICAL, NO_DATA, ERROR;

        static Kind of(State s) {
            return switch (s) {
                case OK -> OK;
                case WARNING -> WARNING;
                case CRITICAL -> CRITICAL;
                case UNKNOWN -> NO_DATA;
            };
        }

        /** The level for OK/WARNING/CRITICAL; null for NO_DATA and ERROR. */
        State level() {
            return switch (this) {
                case OK -> State.OK;
                case WARNING -> State.WARNING;
                case CRITICAL -> State.CRITICAL;
                default -> null;
            };
        }
    }

    public record SeriesValue(String name, double value, int points, State level) {
    }

    static Evaluation noData(String detail, int points, int series) {
        return new Evaluation(Kind.NO_DATA, Double.NaN, points, series, null, detail, List.of());
    }

    static Evaluation error(String detail) {
        return new Evaluation(Kind.ERROR, Double.NaN, 0, 0, null, detail, List.of());
    }

    /** Regions were missing and the alert does not evaluate partial answers: an error, or {@code policy} at once. */
    static Evaluation missing(Map<String, String> missing, AlertDefinition.PolicyKind policy) {
        return new Evaluation(Kind.ERROR, Double.NaN, 0, 0, null, missingText(missing), List.of(), missing, policy);
    }
}
