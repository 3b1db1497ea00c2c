package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code sigmoid(seriesList)}: Applies the sigmoid function 1 / (1 + exp(-x)) to every value. */
public final class Sigmoid extends Fn implements SeriesWise {
    public Sigmoid() {
        super(spec("sigmoid", TRANSFORM, doc("Applies the sigmoid function 1 / (1 + exp(-x)) to every "
                + "value.", "sigmoid(Server.instance01.threads.busy)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {

        return each(args.series(0), s -> mapValues(s, "sigmoid(" + s.name() + ")", "sigmoid",
                "sigmoid", v -> 1 / (1 + Math.exp(-v))));
    }
}
