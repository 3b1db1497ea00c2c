package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Nodes;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code aliasByNode(seriesList, *nodes)}: the name becomes the selected nodes (0-based, negative from the end)
 * or tag values joined by '.'; a function-wrapped name uses its first path expression.
 */
public final class AliasByNode extends Fn implements SeriesWise {
    public AliasByNode() {
        super(spec("aliasByNode", ALIAS, doc("Renames each series to the selected nodes of its name (0-based, "
                + "negative counting from the end) or tag values, joined by dots.",
                        "aliasByNode(ganglia.*.cpu.load5,1)",
                "seriesByTag(\"name=~cpu.load.*\", \"server=~server[1-9]+\")|aliasByNode(\"server\", 1)"))
                .params(SERIES_LIST, Param.required("nodes", ParamType.NODE_OR_TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Object> nodes = args.multi(1);
        return each(args.series(0), s -> s.withName(Nodes.key(s, nodes)));
    }
}
