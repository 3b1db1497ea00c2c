package io.tally.query.expr;

/** Resolves function names for the {@link Evaluator}. */
@FunctionalInterface
public interface FunctionLookup {
    /** The function registered under {@code name}, or null. */
    SeriesFunction find(String name);
}
