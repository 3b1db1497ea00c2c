package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code squareRoot(seriesList)}: The square root of every value; null for negative values. */
public final class SquareRoot extends Fn implements SeriesWise {
    public SquareRoot() {
        super(spec("squareRoot", TRANSFORM, doc("The square root of every value; null for negative "
                + "values.", "squareRoot(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "squareRoot(" + s.name() + ")", "squareRoot",
                "1", v -> SeriesMath.safePow(v, 0.5)));
    }
}
