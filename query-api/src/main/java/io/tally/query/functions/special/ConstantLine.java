package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code constantLine(value)}: three points at {@code from}, the middle and {@code until} (step = half the range),
 * named by the value as a Python float ({@code constantLine(7)} is {@code 7.0}).
 */
public final class ConstantLine extends Fn {
    public ConstantLine() {
        super(spec("constantLine", SPECIAL, doc("Draws a horizontal line at the given value across the range.",
                "constantLine(123.456)")).params(Param.required("value", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double value = args.dbl(0);
        return List.of(line(ctx, value, Py.repr(value)));
    }

    /** A constant line over the context's range, named {@code name} (graphite's {@code str(value)}). */
    public static Series line(EvalContext ctx, double value, String name) {
        long start = ctx.from();
        long end = ctx.until();
        long step = Math.max(1, (end - start) / 2);
        return Series.builder(name, start, end, step, new double[]{value, value, value})
                .pathExpression("constantLine(" + name + ")").xFilesFactor(ctx.xFilesFactor()).build();
    }

    /** A constant line named by Python's {@code str()} of the value (integer, float or None). */
    public static Series line(EvalContext ctx, Object value) {
        double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
        return line(ctx, v, Py.str(value));
    }
}
