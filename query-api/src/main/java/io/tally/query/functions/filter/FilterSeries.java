package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code filterSeries(seriesList, func, operator, threshold)}: keeps the series whose aggregate compares true with
 * the threshold. As in graphite, a null aggregate passes {@code != < <=} and fails {@code = > >=}.
 */
public final class FilterSeries extends Fn {
    static final List<String> OPERATORS = List.of("!=", "<", "<=", "=", ">", ">=");

    public FilterSeries() {
        super(spec("filterSeries", FILTER_SERIES, doc("Keeps the series whose aggregate (func over the whole range) "
                + "compares true with the threshold; operators = != > >= < <=.",
                "filterSeries(system.interface.eth*.packetsSent, 'max', '>', 1000)"))
                .params(SERIES_LIST, Param.required("func", ParamType.AGG_FUNC).withOptions(AggFunc.NAMES),
                        Param.required("operator", ParamType.STRING).withOptions(OPERATORS),
                        Param.required("threshold", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        AggFunc f = args.aggFunc(1, null);
        String op = args.string(2);
        if (!OPERATORS.contains(op)) {
            throw args.error(2, "unsupported operator: " + op + " (use one of " + String.join(" ", OPERATORS) + ")");
        }
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return List.of();
        }
        return filter(list, f, op, args.dbl(3));
    }

    /** The series whose {@code f} compares true with {@code threshold} under graphite's null rules. */
    public static List<Series> filter(List<Series> list, AggFunc f, String op, double threshold) {
        List<Series> out = new ArrayList<>();
        for (Series s : list) {
            double v = f.apply(s.values());
            boolean none = Double.isNaN(v);
            boolean keep = switch (op) {
                case "=" -> !none && v == threshold;
                case "!=" -> none || v != threshold;
                case ">" -> !none && v > threshold;
                case ">=" -> !none && v >= threshold;
                case "<" -> none || v < threshold;
                case "<=" -> none || v <= threshold;
                default -> false;
            };
            if (keep) {
                out.add(s);
            }
        }
        return out;
    }
}
