package io.tally.alerting;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An instance's state after its latest evaluation, immutable, published for lock-free reads by the HTTP endpoints.
 * Millisecond times are 0 when not set.
 *
 * @param state           the state after policies, {@code for}/{@code keep_firing_for} and flap handling
 * @param raw             the raw evaluation result (OK/WARNING/CRITICAL/NO_DATA/ERROR)
 * @param pendingState    the worse state waiting for {@code for}, or null
 * @param evaluatedAt     wall time of the latest evaluation, 0 before the first
 * @param nextEvaluation  the next aligned slot (epoch millis)
 * @param problemSinceMillis when the current run of no data or errors began, 0 when the latest result had data
 * @param perSeries       each series' value and level at the latest evaluation
 * @param missingRegions  regions missing from the latest evaluation's answer (region → reason), sorted; empty when
 *                        complete
 */
public record Snapshot(State state, Evaluation.Kind raw, double value, int points, int series, String seriesName,
                       String detail, long sinceMillis, State pendingState, long pendingSinceMillis,
                       boolean flapping, long evaluatedAt, long nextEvaluation, long problemSinceMillis,
                       List<Evaluation.SeriesValue> perSeries, Map<String, String> missingRegions) {

    static final Snapshot INITIAL = new Snapshot(State.UNKNOWN, Evaluation.Kind.NO_DATA, Double.NaN, 0, 0, null,
            "not evaluated yet", 0, null, 0, false, 0, 0, 0, List.of(), Map.of());

    public Snapshot {
        perSeries = List.copyOf(perSeries);
        missingRegions = missingRegions.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(missingRegions)); // sorted for the texts
    }

    public boolean evaluated() {
        return evaluatedAt > 0;
    }
}
