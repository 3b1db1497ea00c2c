package io.tally.alerting;

/**
 * An acknowledgement of one instance (spec 4.4): valid while the instance stays in {@code state} and until
 * {@code expiresAt}; it then has the effect of a {@link Silence.Effect#REPORT_OK} silence.
 */
public record Ack(String alert, String region, State state, String by, String comment, long createdAt,
                  long expiresAt) {

    public boolean validFor(State current, long millis) {
        return current == state && millis < expiresAt;
    }
}
