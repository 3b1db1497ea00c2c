package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reduceSeries(seriesLists, reduceFunction, reduceNode, *reduceMatchers)}: in each list, the series whose
 * node {@code reduceNode} equals one of the matchers are passed, in matcher order, as separate arguments to the
 * reduce function; each result is named {@code <nodes before reduceNode>.reduce.<function>}.
 */
public final class ReduceSeries extends Fn {
    public ReduceSeries() {
        super(spec("reduceSeries", COMBINE, doc("Reduces each list of a mapSeries result with a function called with "
                + "the series matched by reduceMatchers on node reduceNode, in matcher order. Short form: reduce().",
                "reduceSeries(mapSeries(servers.*.disk.*,1),\"asPercent\",3,\"bytes_used\",\"total_bytes\")"))
                .aliases("reduce")
                .params(Param.required("seriesLists", ParamType.SERIES_LISTS),
                        Param.required("reduceFunction", ParamType.STRING),
                        Param.required("reduceNode", ParamType.NODE),
                        Param.required("reduceMatchers", ParamType.STRING).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String function = args.string(1);
        int node = (int) args.integer(2);
        List<String> matchers = new ArrayList<>();
        for (Object m : args.multi(3)) {
            matchers.add(Py.str(m));
        }
        Map<String, Series[]> slots = new LinkedHashMap<>();
        for (List<Series> list : args.listOfSeriesLists(0)) {
            for (Series s : list) {
                String[] nodes = s.name().split("\\.", -1);
                int k = node < 0 ? nodes.length + node : node;
                if (k < 0 || k >= nodes.length) {
                    throw args.error(2, "node " + node + " does not exist in " + s.name());
                }
                int at = matchers.indexOf(nodes[k]);
                if (at < 0) {
                    continue;
                }
                String key = String.join(".", java.util.Arrays.copyOf(nodes, k)) + ".reduce." + function;
                slots.computeIfAbsent(key, x -> new Series[matchers.size()])[at] = s;
            }
        }
        List<Series> out = new ArrayList<>(slots.size());
        for (Map.Entry<String, Series[]> e : slots.entrySet()) {
            Object[] lists = new Object[matchers.size()];
            for (int i = 0; i < lists.length; i++) {
                Series s = e.getValue()[i];
                if (s == null) {
                    throw args.error(3, "no series matches " + matchers.get(i) + " for " + e.getKey());
                }
                lists[i] = List.of(s);
            }
            Series r = first(call(ctx, function, lists));
            if (r != null) {
                out.add(r.withName(e.getKey()));
            }
        }
        return out;
    }
}
