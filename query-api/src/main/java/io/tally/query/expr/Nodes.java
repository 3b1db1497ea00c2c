package io.tally.query.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Node and tag lookups on series names, as aliasByNode, groupByNode(s), asPercent, mapSeries and weightedAverage
 * do them (graphite's {@code aggKey}/{@code getNodeOrTag}).
 *
 * <p>Rules: an integral number selects a node of the name before the first {@code ;}, negative counting from the
 * end; a name that ends with {@code )} is first reduced to the first path expression inside it
 * ({@code scale(a.b.c,2)} → {@code a.b.c}); a node index out of range, a fractional number or a string selects
 * the tag of that name (empty when the series lacks it).
 */
public final class Nodes {
    private Nodes() {
    }

    /** The nodes/tags joined by '.'. */
    public static String key(Series s, List<Object> nodes) {
        String path = s.name();
        if (!path.isEmpty() && path.charAt(path.length() - 1) == ')') {
            String first = firstPathExpression(path);
            if (first != null) {
                path = first;
            }
        }
        StringBuilder b = new StringBuilder();
        String[] parts = null;
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                b.append('.');
            }
            Object n = nodes.get(i);
            String value = null;
            Integer index = asIndex(n);
            if (index != null) {
                if (parts == null) {
                    parts = split(path);
                }
                int k = index < 0 ? parts.length + index : index;
                if (k >= 0 && k < parts.length) {
                    value = parts[k];
                }
            }
            if (value == null) {
                value = s.tags().getOrDefault(Py.str(n), "");
            }
            b.append(value);
        }
        return b.toString();
    }

    private static Integer asIndex(Object n) {
        if (n instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (n instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
            return d.intValue();
        }
        if (n instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return null;
    }

    /** The nodes of the part of a name before the first ';'. */
    public static String[] split(String name) {
        int semi = name.indexOf(';');
        String path = semi < 0 ? name : name.substring(0, semi);
        List<String> out = new ArrayList<>();
        int p = 0;
        while (true) {
            int dot = path.indexOf('.', p);
            if (dot < 0) {
                out.add(path.substring(p));
                return out.toArray(new String[0]);
            }
            out.add(path.substring(p, dot));
            p = dot + 1;
        }
    }

    /**
     * The first metric path in an expression text (descending into the first argument of each call); null when
     * the text does not parse or its first argument is not a series.
     */
    public static String firstPathExpression(String text) {
        Expr e = Parser.tryParse(text);
        while (e != null) {
            if (e instanceof Expr.Path p) {
                return p.text();
            }
            if (e instanceof Expr.Call c && !c.args().isEmpty()) {
                e = c.args().get(0);
            } else if (e instanceof Expr.Template t) {
                e = t.inner();
            } else {
                return null;
            }
        }
        return null;
    }
}
