package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.StreamingAggregate;
import io.tally.query.functions.Fn;

/** Base of the functions that are {@code aggregate()} with a fixed function over all their series lists. */
abstract class AggregatingFunction extends Fn implements StreamingAggregate {
    private final String func;

    AggregatingFunction(Spec spec, String func) {
        super(spec.aggregator());
        this.func = func;
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return aggregate(args.allSeries(0), func, null, ctx, args, 0);
    }

    @Override
    public SeriesMath.Accumulator accumulator(Args args, EvalContext ctx) {
        return accumulator(func, null, ctx, args, 0);
    }
}
