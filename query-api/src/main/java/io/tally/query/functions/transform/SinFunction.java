package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;

/** {@code sinFunction(name, amplitude=1, step=60)} (short: {@code sin}): {@code amplitude * sin(timestamp)}. */
public final class SinFunction extends Fn {
    public SinFunction() {
        super(spec("sinFunction", TRANSFORM, doc("A series named name whose value is the sine of the timestamp times "
                + "amplitude, one point per step seconds. Short form: sin().", "sin(\"The.time.series\", 2)"))
                .aliases("sin")
                .params(Param.required("name", ParamType.STRING), Param.optional("amplitude", ParamType.INTEGER, 1L),
                        Param.optional("step", ParamType.INTEGER, 60L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String name = args.string(0);
        double amplitude = args.dbl(1, 1);
        long step = args.integer(2, 60);
        if (step <= 0) {
            throw args.error(2, "the step must be positive");
        }
        long n = Math.max(0, (ctx.until() - ctx.from() + step - 1) / step);
        ctx.reservePoints(n);
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(ctx.from() + i * step) * amplitude;
        }
        return List.of(Series.builder(name, ctx.from(), ctx.until(), step, v).xFilesFactor(ctx.xFilesFactor())
                .build());
    }
}
