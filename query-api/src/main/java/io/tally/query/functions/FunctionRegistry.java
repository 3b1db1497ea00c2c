package io.tally.query.functions;

import io.tally.query.expr.FunctionLookup;
import io.tally.query.expr.SeriesFunction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The render functions by name (aliases included), from which both evaluation and {@code /functions} are served.
 * Immutable after construction; thread-safe.
 */
public final class FunctionRegistry implements FunctionLookup {
    private static final FunctionRegistry STANDARD = new FunctionRegistry(Catalog.all());

    private final Map<String, SeriesFunction> byName;

    public FunctionRegistry(List<SeriesFunction> functions) {
        Map<String, SeriesFunction> m = new TreeMap<>();
        for (SeriesFunction f : functions) {
            register(m, f.info().name(), f);
            for (String alias : f.info().aliases()) {
                register(m, alias, f);
            }
        }
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private static void register(Map<String, SeriesFunction> m, String name, SeriesFunction f) {
        if (m.putIfAbsent(name, f) != null) {
            throw new IllegalStateException("render function registered twice: " + name);
        }
    }

    /** Every graphite function Tally implements. */
    public static FunctionRegistry standard() {
        return STANDARD;
    }

    @Override
    public SeriesFunction find(String name) {
        return byName.get(name);
    }

    /** All registered names (aliases included), sorted, each with its function. */
    public Map<String, SeriesFunction> byName() {
        return byName;
    }
}
