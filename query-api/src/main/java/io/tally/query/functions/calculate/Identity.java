package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;

/** {@code identity(name)}: a series whose value is its timestamp, one point a minute. */
public final class Identity extends Fn {
    public Identity() {
        super(spec("identity", CALCULATE, doc("A series named name whose value at each point equals the point's "
                + "timestamp, one point per minute; useful to compare with series whose values are timestamps.",
                "identity(\"The.time.series\")"))
                .params(Param.required("name", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String name = args.string(0);
        long step = 60;
        long n = Math.max(0, (ctx.until() - ctx.from() + step - 1) / step);
        ctx.reservePoints(n);
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = ctx.from() + i * step;
        }
        return List.of(Series.builder(name, ctx.from(), ctx.until(), step, v).pathExpression("identity(\"" + name
                + "\")").xFilesFactor(ctx.xFilesFactor()).build());
    }
}
