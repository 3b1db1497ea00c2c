package io.tally.alerting;

/** Where notifications go; implementations must not block the caller (the evaluation thread). */
public interface Notifier {

    /**
     * A state change ({@code repeat} false, {@code previous} is the last notified state) or a repeat of a non-OK state
     * for one subscription of the instance.
     */
    void send(AlertDefinition.Notify subscription, Report report, State previous, boolean repeat);

    Notifier NONE = (s, r, p, rep) -> { };
}
