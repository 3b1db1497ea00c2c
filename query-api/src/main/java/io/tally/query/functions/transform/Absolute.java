package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code absolute(seriesList)}: The absolute value of every value. */
public final class Absolute extends Fn implements SeriesWise {
    public Absolute() {
        super(spec("absolute", TRANSFORM, doc("The absolute value of every value.",
                "absolute(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "absolute(" + s.name() + ")", "absolute", "1", Math::abs));
    }
}
