package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code stacked(seriesList, stack='__DEFAULT__')}: values become running totals across the series in order
 * (and across every stacked() call of the request with the same stack name); nulls stay null. Named
 * {@code stacked(x)} for the default stack. Pictures fill each stacked series down to the previous one.
 */
public final class Stacked extends Fn {
    private static final String DEFAULT = "__DEFAULT__";

    public Stacked() {
        super(spec("stacked", GRAPH, doc("Stacks the series: each value becomes the sum of the values at that point "
                + "of this and the previous series of the same stack.",
                "stacked(company.server.application01.ifconfig.TXPackets, 'tx')"))
                .params(SERIES_LIST, Param.optional("stack", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String stack = args.string(1, DEFAULT);
        double[] total = ctx.stacks().getOrDefault(stack, new double[0]);
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            double[] v = s.values();
            if (total.length < v.length) {
                total = Arrays.copyOf(total, v.length);
            }
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    r[i] = Double.NaN;
                } else {
                    total[i] += v[i];
                    r[i] = total[i];
                }
            }
            if (DEFAULT.equals(stack)) {
                out.add(s.toBuilder().name("stacked(" + s.name() + ")").pathExpression("stacked(" + s.name() + ")")
                        .tags(s.tagsWith("stacked", stack)).values(r).style(s.style().withStacked()).build());
            } else {
                out.add(s.toBuilder().pathExpression(s.name()).values(r).style(s.style().withStacked()).build());
            }
        }
        ctx.stacks().put(stack, total);
        return out;
    }
}
