package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code round(seriesList, precision=None)}: every value rounded half-even to {@code precision} decimals. */
public final class Round extends Fn implements SeriesWise {
    public Round() {
        super(spec("round", TRANSFORM, doc("Rounds every value to the given number of decimals (default 0; "
                + "negative rounds to tens, hundreds, ...).", "round(Server.instance01.threads.busy)",
                "round(Server.instance01.threads.busy,2)"))
                .params(SERIES_LIST, Param.optional("precision", ParamType.INTEGER, 0L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        boolean given = args.has(1);
        int precision = (int) args.integer(1, 0);
        return each(args.series(0), s -> {
            String name = given ? "round(" + s.name() + "," + precision + ")" : "round(" + s.name() + ")";
            return mapValues(s, name, "round", Integer.toString(precision), v -> SeriesMath.round(v, precision));
        });
    }
}
