package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code groupByNode(seriesList, nodeNum, callback='average')}: groupByNodes with one node. */
public final class GroupByNode extends Fn {
    public GroupByNode() {
        super(spec("groupByNode", COMBINE, doc("Groups the series by the value of one node (or tag) and reduces each "
                + "group with the callback (default average); each result is named by the node value.",
                "groupByNode(ganglia.by-function.*.*.cpu.load5,2,\"sumSeries\")"))
                .params(SERIES_LIST, Param.required("nodeNum", ParamType.NODE_OR_TAG),
                        Param.optional("callback", ParamType.AGG_OR_SERIES_FUNC, "average")));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return GroupByNodes.group(args.series(0), args.string(2, "average"), java.util.Arrays.asList(args.value(1)),
                ctx, args, 2);
    }
}
