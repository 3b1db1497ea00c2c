package io.tally.query.functions.combine;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Nodes;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesFunction;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code groupByNodes(seriesList, callback, *nodes)}: groups by the key of the given nodes or tags (first
 * appearance order) and reduces each group with the callback, an aggregation function or an aggregating series
 * function; each result is named by its key.
 */
public final class GroupByNodes extends Fn {
    public GroupByNodes() {
        super(spec("groupByNodes", COMBINE, doc("Groups the series by the values of the given nodes (or tags) and "
                + "reduces each group with the callback: an aggregation function such as sum or max, or a series "
                + "function such as sumSeries. Each result is named by its group key.",
                "groupByNodes(ganglia.server*.*.cpu.load*,\"sum\",1,4)"))
                .params(SERIES_LIST, Param.required("callback", ParamType.AGG_OR_SERIES_FUNC),
                        Param.optional("nodes", ParamType.NODE_OR_TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return group(args.series(0), args.string(1), args.multi(2), ctx, args, 1);
    }

    /** Groups by {@link Nodes#key} and reduces each group with {@code callback}. */
    static List<Series> group(List<Series> list, String callback, List<Object> nodes, EvalContext ctx, Args args,
                              int callbackParam) {
        Map<String, List<Series>> groups = new LinkedHashMap<>();
        for (Series s : list) {
            groups.computeIfAbsent(Nodes.key(s, nodes), k -> new ArrayList<>()).add(s);
        }
        List<Series> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, List<Series>> g : groups.entrySet()) {
            Series r = reduce(g.getValue(), callback, ctx, args, callbackParam);
            if (r != null) {
                out.add(r.withName(g.getKey()));
            }
        }
        return out;
    }

    /** A group reduced by a series function of that name if there is one, else by aggregate(). */
    static Series reduce(List<Series> group, String callback, EvalContext ctx, Args args, int callbackParam) {
        SeriesFunction f = ctx.evaluator().function(callback);
        if (f != null) {
            return first(call(ctx, callback, group));
        }
        if (AggFunc.lookup(callback) == null && !callback.endsWith("Series")) {
            throw args.error(callbackParam, "unsupported callback: " + callback + " (use an aggregation function "
                    + "such as sum or max, or a series function such as sumSeries)");
        }
        List<Series> r = aggregate(group, callback, null, ctx, args, callbackParam);
        return r.isEmpty() ? null : r.get(0);
    }
}
