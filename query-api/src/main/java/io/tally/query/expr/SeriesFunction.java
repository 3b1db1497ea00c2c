package io.tally.query.expr;

/**
 * A render function. Implementations are stateless and thread-safe; all per-request state lives in the
 * {@link EvalContext}.
 */
public interface SeriesFunction {

    FunctionInfo info();

    /**
     * Evaluates one call whose arguments are already evaluated and bound to {@link #info()}'s parameters.
     *
     * @return a {@code List<Series>} (or, for {@code mapSeries}, a {@code List<List<Series>>})
     * @throws ExpressionException for argument values the function rejects
     */
    Object apply(Args args, EvalContext ctx);
}
