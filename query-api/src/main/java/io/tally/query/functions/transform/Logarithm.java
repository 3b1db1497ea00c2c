package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code log(seriesList, base=10)}: The logarithm of every value in the given base (default 10); null for values at
 * or below 0.
 */
public final class Logarithm extends Fn implements SeriesWise {
    public Logarithm() {
        super(spec("log", TRANSFORM, doc("The logarithm of every value in the given base (default 10); null for "
                + "values at or below 0.", "log(carbon.agents.hostname.avgUpdateTime,2)"))
                .params(SERIES_LIST, Param.optional("base", ParamType.INTEGER, 10L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double base = args.has(1) ? args.dbl(1) : 10;
        String text = args.has(1) ? Py.str(args.value(1)) : "10";
        double logBase = Math.log(base);
        return each(args.series(0), s -> mapValues(s, "log(" + s.name() + ", " + text + ")",
                "log", text, v -> v <= 0 ? Double.NaN : Math.log(v) / logBase));
    }
}
