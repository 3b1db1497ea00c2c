package io.tally.query.federation;

import java.util.Map;
import java.util.TreeMap;

/**
 * A federated answer lacks regions while completeness was asked for ({@code federation.require-complete} or the
 * request's {@code requireComplete=1}): answered with 504 when a region timed out, else 502.
 */
public final class IncompleteAnswerException extends RuntimeException {
    private final Map<String, String> missing;

    public IncompleteAnswerException(Map<String, String> missing) {
        super("incomplete answer: region" + (missing.size() == 1 ? " " : "s ") + describe(missing)
                + " did not answer, and a complete answer was required (federation.require-complete or "
                + "requireComplete=1); drop requireComplete to accept partial answers", null, false, false);
        this.missing = Map.copyOf(missing);
    }

    /** Missing regions with their reasons. */
    public Map<String, String> missing() {
        return missing;
    }

    /** 504 when a region timed out, 502 otherwise. */
    public int status() {
        return missing.containsValue("timeout") ? 504 : 502;
    }

    /** {@code eu-west-1=timeout, us-east-1=unauthorized}: the value of the {@code X-Tally-Partial} header. */
    public static String header(Map<String, String> missing) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(missing).forEach((r, why) -> b.append(b.isEmpty() ? "" : ", ").append(r).append('=')
                .append(why));
        return b.toString();
    }

    private static String describe(Map<String, String> missing) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(missing).forEach((r, why) -> b.append(b.isEmpty() ? "" : ", ").append(r).append(" (")
                .append(why).append(')'));
        return b.toString();
    }
}
