package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Expr;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Parser;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code applyByNode(seriesList, nodeNum, templateFunction, newName=None)}: for each distinct name prefix up to
 * node {@code nodeNum} (sorted), evaluates the template target with {@code %} replaced by the prefix; results are
 * optionally renamed by {@code newName} with {@code %} replaced.
 */
public final class ApplyByNode extends Fn {
    public ApplyByNode() {
        super(spec("applyByNode", COMBINE, doc("Evaluates a target template once per distinct prefix of the series "
                + "names up to nodeNum, with % in the template (and in newName) replaced by the prefix.",
                "applyByNode(servers.*.disk.bytes_free,1,\"divideSeries(%.disk.bytes_free,sumSeries(%.disk.bytes_*))\")"))
                .params(SERIES_LIST, Param.required("nodeNum", ParamType.NODE),
                        Param.required("templateFunction", ParamType.STRING),
                        Param.optional("newName", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        int node = (int) args.integer(1);
        String template = args.string(2);
        String newName = args.string(3, null);
        TreeSet<String> prefixes = new TreeSet<>();
        for (Series s : list) {
            String[] nodes = s.name().split("\\.", -1);
            int end = Math.max(0, Math.min(nodes.length, node + 1));
            prefixes.add(String.join(".", java.util.Arrays.copyOf(nodes, end)));
        }
        if (list.isEmpty()) {
            return List.of();
        }
        Series last = list.get(list.size() - 1);
        List<Series> out = new ArrayList<>();
        for (String prefix : prefixes) {
            String target = template.replace("%", prefix);
            Expr e;
            try {
                e = Parser.parse(target);
            } catch (ExpressionException ex) {
                throw args.error(2, "template " + target + ": " + ex.getMessage());
            }
            for (Series r : ctx.evaluateSeries(e, args.replacements())) {
                Series.Builder b = r.toBuilder().pathExpression(prefix).start(last.start()).end(last.end());
                if (newName != null) {
                    b.name(newName.replace("%", prefix));
                }
                out.add(b.build());
            }
        }
        return out;
    }
}
