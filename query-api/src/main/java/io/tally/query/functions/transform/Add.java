package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code add(seriesList, constant)}: Adds a constant to every value. */
public final class Add extends Fn implements SeriesWise {
    public Add() {
        super(spec("add", TRANSFORM, doc("Adds a constant to every value.", "add(Server.instance01.threads.busy, 10)"))
                .params(SERIES_LIST, Param.required("constant", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double constant = args.dbl(1);
        String tag = floatText(args, 1, null);
        return each(args.series(0), s -> mapValues(s, "add(" + s.name() + "," + Py.d(constant) + ")",
                "add", tag, v -> v + constant));
    }
}
