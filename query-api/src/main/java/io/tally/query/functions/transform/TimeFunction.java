package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;

/** {@code timeFunction(name, step=60)} (short: {@code time}): a series whose value is its own timestamp. */
public final class TimeFunction extends Fn {
    public TimeFunction() {
        super(spec("timeFunction", TRANSFORM, doc("A series named name whose value at each point is the point's "
                + "timestamp (seconds), one point per step seconds from the start of the range. Short form: time().",
                "time(\"The.time.series\")"))
                .aliases("time")
                .params(Param.required("name", ParamType.STRING), Param.optional("step", ParamType.INTEGER, 60L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String name = args.string(0);
        long step = args.integer(1, 60);
        if (step <= 0) {
            throw args.error(1, "the step must be positive");
        }
        long n = Math.max(0, (ctx.until() - ctx.from() + step - 1) / step);
        ctx.reservePoints(n);
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = ctx.from() + i * step;
        }
        return List.of(Series.builder(name, ctx.from(), ctx.until(), step, v).xFilesFactor(ctx.xFilesFactor())
                .build());
    }
}
