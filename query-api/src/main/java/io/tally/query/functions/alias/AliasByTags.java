package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Nodes;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.List;

/** {@code aliasByTags(seriesList, *tags)}: aliasByNode with tag names (or node indexes). */
public final class AliasByTags extends Fn implements SeriesWise {
    public AliasByTags() {
        super(spec("aliasByTags", ALIAS, doc("Renames each series to the values of the given tags (or nodes), joined "
                + "by dots.", "seriesByTag(\"name=cpu\")|aliasByTags(\"server\",\"name\")"))
                .params(SERIES_LIST, Param.required("tags", ParamType.NODE_OR_TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Object> tags = args.multi(1);
        return each(args.series(0), s -> s.withName(Nodes.key(s, tags)));
    }
}
