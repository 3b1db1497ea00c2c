package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.Arrays;

/**
 * {@code substr(seriesList, start=0, stop=0)}: the name becomes nodes {@code [start:stop]} (Python slicing; 0 stop
 * means to the end) of the innermost name between parentheses, cut at its first comma.
 */
public final class Substr extends Fn implements SeriesWise {
    public Substr() {
        super(spec("substr", SPECIAL, doc("Renames each series to a slice of the nodes of its metric name, from start "
                + "up to (not including) stop; stop 0 means to the end.",
                        "substr(carbon.agents.hostname.avgUpdateTime,2,4)"))
                .params(SERIES_LIST, Param.optional("start", ParamType.NODE, 0L),
                        Param.optional("stop", ParamType.NODE, 0L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        int start = (int) args.integer(1, 0);
        int stop = (int) args.integer(2, 0);
        return each(args.series(0), s -> s.withName(substr(s.name(), start, stop)));
    }

    /** graphite's substr on one name. */
    public static String substr(String name, int start, int stop) {
        int left = name.lastIndexOf('(') + 1;
        int right = name.indexOf(')');
        if (right < 0) {
            right = name.length() + 1;
        }
        String clean = right < left ? "" : name.substring(left, Math.min(right, name.length()));
        String[] nodes = clean.split("\\.", -1);
        int n = nodes.length;
        int from = pyIndex(start, n);
        int to = stop == 0 ? n : pyIndex(stop, n);
        String joined = from >= to ? "" : String.join(".", Arrays.copyOfRange(nodes, from, to));
        int comma = joined.indexOf(',');
        return comma < 0 ? joined : joined.substring(0, comma);
    }

    private static int pyIndex(int i, int n) {
        int k = i < 0 ? n + i : i;
        return Math.max(0, Math.min(n, k));
    }
}
