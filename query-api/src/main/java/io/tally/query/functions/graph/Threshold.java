package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;
import io.tally.query.functions.special.ConstantLine;

import java.util.List;

/** {@code threshold(value, label=None, color=None)}: a constant line, named by the label when given. */
public final class Threshold extends Fn {
    public Threshold() {
        super(spec("threshold", GRAPH, doc("Draws a horizontal line at value, named label when given (color is a "
                + "drawing option).", "threshold(123.456, \"omgwtfbbq\", \"red\")"))
                .params(Param.required("value", ParamType.FLOAT), Param.optional("label", ParamType.STRING),
                        Param.optional("color", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double value = args.dbl(0);
        Series line = ConstantLine.line(ctx, value, Py.repr(value));
        String label = args.string(1, null);
        Series named = label == null || label.isEmpty() ? line : line.withName(label);
        String color = args.string(2, null);
        return List.of(color == null ? named : named.withStyle(named.style().withColor(color)));
    }
}
