package io.tally.query.expr;

/**
 * Marks a render function whose first parameter is its series list and which treats each series on its own:
 * applied to a list, it gives what applying it to any split of the list and concatenating the results gives (one
 * output per input, or a filter that keeps or drops each one), given the same other arguments, and it fetches
 * nothing. An aggregate over such a function of a path can then be evaluated a batch of series at a time
 * ({@link StreamingAggregate}).
 */
public interface SeriesWise {
}
