package io.tally.alerting;

/**
 * What one instance reports at a given moment: the evaluated {@link Snapshot} with staleness, silences, acks, the
 * active window and a missing alert applied. Computed on read, so a silence that ends or an evaluator that stops
 * shows at once.
 *
 * @param alert      the alert id asked for (sanitised for output by {@link NagiosFormat})
 * @param definition null when there is no such alert
 * @param snapshot   null when there is no such alert or instance
 * @param state      the state to report
 * @param realState  the state before a silence, ack or the active window changed it
 * @param problem    for UNKNOWNs not from evaluation: "no such alert", "evaluation stale 4m", ...; else null
 * @param modifier   a short text of what changed the state ("silenced until ... by ops"), else null
 * @param annotate   the real state is reported with {@code [SILENCED]} in the text
 */
public record Report(String alert, String region, AlertDefinition definition, Snapshot snapshot, State state,
                     State realState, String problem, String modifier, boolean annotate, Silence silence, Ack ack,
                     long nowMillis) {

    public boolean modified() {
        return modifier != null && state != realState;
    }
}
