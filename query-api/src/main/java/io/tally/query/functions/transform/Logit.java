package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code logit(seriesList)}: Applies the logit function log(x / (1 - x)) to every value; null outside (0, 1). */
public final class Logit extends Fn implements SeriesWise {
    public Logit() {
        super(spec("logit", TRANSFORM, doc("Applies the logit function log(x / (1 - x)) to every value; null outside "
                + "(0, 1).", "logit(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "logit(" + s.name() + ")", "logit",
                "logit", v -> v == 1 || v / (1 - v) <= 0 ? Double.NaN : Math.log(v / (1 - v))));
    }
}
