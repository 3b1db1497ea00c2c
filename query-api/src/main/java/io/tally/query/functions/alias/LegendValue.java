package io.tally.query.functions.alias;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code legendValue(seriesList, *valueTypes)}: appends aggregates to the names ({@code x (avg: 1.5)}); a last
 * argument {@code si} or {@code binary} formats them with unit prefixes in fixed columns instead.
 */
public final class LegendValue extends Fn {
    public LegendValue() {
        super(spec("legendValue", ALIAS, doc("Appends the value of one or more aggregation functions (avg, last, "
                + "max, min, total, ...) to each series name. A last argument si or binary formats the values with "
                + "unit prefixes.", "legendValue(Sales.widgets.largeBlue, 'avg', 'max', 'si')"))
                .params(SERIES_LIST, Param.optional("valuesTypes", ParamType.STRING).asMultiple()
                        .withOptions(options())));
    }

    private static List<Object> options() {
        List<Object> out = new ArrayList<>(AggFunc.NAMES);
        for (String n : AggFunc.NAMES) {
            out.add(n + "Series");
        }
        out.add("si");
        out.add("binary");
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<String> types = new ArrayList<>();
        for (Object o : args.multi(1)) {
            types.add(Py.str(o));
        }
        String system = null;
        if (!types.isEmpty() && (types.get(types.size() - 1).equals("si")
                || types.get(types.size() - 1).equals("binary"))) {
            system = types.remove(types.size() - 1);
        }
        List<Series> list = new ArrayList<>(args.series(0));
        for (String type : types) {
            AggFunc f = AggFunc.lookup(type.endsWith("Series") ? type.substring(0, type.length() - 6) : type);
            for (int i = 0; i < list.size(); i++) {
                Series s = list.get(i);
                double v = f == null ? Double.NaN : f.apply(s.values());
                String text;
                if (system == null) {
                    text = f == null ? "(?)" : valueText(f, v);
                    list.set(i, s.withName(s.name() + " (" + type + ": " + text + ")"));
                } else {
                    if (f == null) {
                        text = "(?)";
                    } else if (Double.isNaN(v)) {
                        text = "None";
                    } else {
                        Units.Scaled u = Units.format(v, system, null);
                        text = Py.fixed(u.value(), 2) + u.prefix();
                    }
                    list.set(i, s.withName(Py.format("%-20s%-5s%-10s", s.name(), type, text)));
                }
            }
        }
        return list;
    }

    private static String valueText(AggFunc f, double v) {
        if (Double.isNaN(v)) {
            return "None";
        }
        return f == AggFunc.COUNT ? Long.toString((long) v) : Py.repr(v);
    }
}
