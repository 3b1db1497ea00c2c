package io.tally.alerting;

/** A reported alert state in Nagios order: the ordinal is the plugin exit code, and a larger one is worse, except
 * that {@link #UNKNOWN} (3) ranks between WARNING and CRITICAL when states are combined ({@link #severity()}). */
public enum State {
    OK, WARNING, CRITICAL, UNKNOWN;

    /** The Nagios plugin exit code. */
    public int exitCode() {
        return ordinal();
    }

    /** Rank for "worst wins": OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3 (as Nagios ranks service states). */
    public int severity() {
        return switch (this) {
            case OK -> 0;
            case WARNING -> 1;
            case UNKNOWN -> 2;
            case CRITICAL -> 3;
        };
    }

    public static State worst(State a, State b) {
        return a.severity() >= b.severity() ? a : b;
    }
}
