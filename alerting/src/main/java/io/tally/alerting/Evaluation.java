package io.tally.alerting;

import java.util.List;

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
 */
public record Evaluation(Kind kind, double value, int points, int series, String seriesName, String detail,
                         List<SeriesValue> perSeries) {

    public Evaluation {
        perSeries = List.copyOf(perSeries);
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
}
