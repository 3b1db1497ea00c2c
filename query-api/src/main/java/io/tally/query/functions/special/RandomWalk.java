package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** {@code randomWalkFunction(name, step=60)} (short: {@code randomWalk}): a random walk from 0, for testing. */
public final class RandomWalk extends Fn {
    public RandomWalk() {
        super(spec("randomWalkFunction", SPECIAL, doc("A series named name that starts at 0 and moves by a random "
                + "amount in [-0.5, 0.5) every step seconds; useful for testing without data. Short form: "
                + "randomWalk().", "randomWalk(\"The.time.series\")"))
                .aliases("randomWalk")
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
        double current = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            v[i] = current;
            current += random.nextDouble() - 0.5;
        }
        return List.of(Series.builder(name, ctx.from(), ctx.until(), step, v).xFilesFactor(ctx.xFilesFactor())
                .build());
    }
}
