package io.tally.engine.config;

/**
 * One storage-aggregation.conf outcome: how a series' archives roll up ({@code method}) and the fraction of known
 * finer slots a coarser point needs ({@code xFilesFactor}, in [0, 1]).
 */
public record AggregationPolicy(String name, AggregationMethod method, double xFilesFactor) {
    public AggregationPolicy {
        if (method == null) {
            throw new IllegalArgumentException("method is required");
        }
        if (!(xFilesFactor >= 0 && xFilesFactor <= 1)) {
            throw new IllegalArgumentException("xFilesFactor must be in [0, 1], got " + xFilesFactor);
        }
    }
}
