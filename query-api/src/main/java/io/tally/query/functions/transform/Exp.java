package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code exp(seriesList)}: Raises e to the power of every value. */
public final class Exp extends Fn implements SeriesWise {
    public Exp() {
        super(spec("exp", TRANSFORM, doc("Raises e to the power of every value.",
                "exp(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "exp(" + s.name() + ")", "exp", "e", Math::exp));
    }
}
