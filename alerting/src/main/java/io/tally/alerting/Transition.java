package io.tally.alerting;

/**
 * A change of an instance's reported state (spec 4.3 step 9). {@code value}, {@code warn}, {@code crit} are NaN
 * when unknown; {@code atMillis} is the evaluation's wall time.
 */
public record Transition(String alert, String region, String series, State from, State to, double value,
                         double warn, double crit, String reason, long atMillis) {
}
