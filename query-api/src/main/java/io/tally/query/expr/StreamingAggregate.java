package io.tally.query.expr;

/**
 * A render function whose result is graphite's {@code aggregate()} of all its series-list arguments. When its
 * reduction folds one series at a time, the evaluator feeds it series a batch at a time ({@link Evaluator}) instead
 * of fetching every input first.
 */
public interface StreamingAggregate {

    /**
     * The accumulator this call's result comes from, or null to evaluate it the usual way (a reduction that does not
     * fold, or arguments that need the usual error). {@code args} hold the call's other arguments; its series-list
     * parameters are bound to empty lists.
     */
    SeriesMath.Accumulator accumulator(Args args, EvalContext ctx);
}
