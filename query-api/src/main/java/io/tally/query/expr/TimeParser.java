package io.tally.query.expr;

/** Parses graphite time specifications ({@code -1d}, {@code 20240101}, epoch seconds) for date-typed arguments. */
@FunctionalInterface
public interface TimeParser {
    /** @throws IllegalArgumentException when the text does not parse */
    long parse(String spec, long nowSeconds);
}
