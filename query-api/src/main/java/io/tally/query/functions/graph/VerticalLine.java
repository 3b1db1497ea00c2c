package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code verticalLine(ts, label=None, color=None)}: one point of value 1 at the given time, named by the label
 * ({@code None} without one); the time must lie in the request's range.
 */
public final class VerticalLine extends Fn {
    public VerticalLine() {
        super(spec("verticalLine", GRAPH, doc("Draws a vertical line at a time (in the from / until format) inside "
                + "the range, named label.", "verticalLine(\"12:3420131108\",\"event\",\"blue\")",
                "verticalLine(\"-5mins\")"))
                .params(Param.required("ts", ParamType.DATE), Param.optional("label", ParamType.STRING),
                        Param.optional("color", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long ts = time(args, ctx, 0, null);
        if (ts < ctx.from()) {
            throw args.error(0, "verticalLine(): timestamp " + ts + " exists before start of range");
        }
        if (ts > ctx.until()) {
            throw args.error(0, "verticalLine(): timestamp " + ts + " exists after end of range");
        }
        String label = args.string(1, "None");
        SeriesStyle style = SeriesStyle.DEFAULT.withDrawAsInfinite();
        String color = args.string(2, null);
        return List.of(Series.builder(label, ts, ts, 1, new double[]{1.0, 1.0}).xFilesFactor(ctx.xFilesFactor())
                .style(color == null ? style : style.withColor(color)).build());
    }
}
