package io.tally.query;

import io.tally.query.expr.Series;
import io.tally.query.federation.IncompleteAnswerException;

import java.util.List;
import java.util.Map;

/**
 * What {@link Renderer#renderFull} returns: the series of all targets in target order, and the regions whose
 * series are missing from them (region → reason such as {@code timeout}; empty without federation or when every
 * region answered).
 */
public record RenderResult(List<Series> series, Map<String, String> missingRegions) {
    public RenderResult {
        series = List.copyOf(series);
        missingRegions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(missingRegions));
    }

    public boolean complete() {
        return missingRegions.isEmpty();
    }

    /**
     * This result when complete.
     *
     * @throws IncompleteAnswerException naming the missing regions otherwise
     */
    public RenderResult requireComplete() {
        if (!complete()) {
            throw new IncompleteAnswerException(missingRegions);
        }
        return this;
    }
}
