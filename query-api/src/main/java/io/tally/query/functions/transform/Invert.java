package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code invert(seriesList)}: Inverts every value (1/x); null where the value is 0. */
public final class Invert extends Fn implements SeriesWise {
    public Invert() {
        super(spec("invert", TRANSFORM, doc("Inverts every value (1/x); null where the value is 0.",
                "invert(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "invert(" + s.name() + ")", "invert",
                "1", v -> SeriesMath.safePow(v, -1)));
    }
}
