package io.tally.dashboards;

import io.tally.engine.index.TagExpression;
import io.tally.query.expr.Expr;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.FunctionLookup;
import io.tally.query.expr.Parser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Grafana dashboard against Tally the way Grafana's Graphite data source would send it: every target of
 * every panel (rows and collapsed rows included) and every template variable query is interpolated with the
 * variables' sample values (their {@code current} value; "All" becomes the {@code allValue}), gets Grafana's
 * {@code 'Nm'} → {@code 'Nmin'} rewrite and {@code #A} reference expansion, and is parsed with Tally's own
 * {@link Parser}; every function called must exist in the given registry. Variable queries of type
 * {@code Default} are {@code /metrics/find} globs or {@code tags()}/{@code tag_values()}/{@code expand()} calls,
 * checked for that syntax; {@code Value} and {@code Metric Name} queries are render targets.
 */
final class DashboardLint {
    /** Grafana's variable forms: $var, ${var}, ${var:format}, [[var]]. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    /** Grafana's buildGraphiteParams: quoted 'Nm' intervals become 'Nmin' ('NM' → 'Nmon'). */
    private static final Pattern MINUTES = Pattern.compile("'(\\d+)m'", Pattern.CASE_INSENSITIVE);
    private static final Pattern REFERENCE = Pattern.compile("#([A-Z])");
    /** Grafana's metricFindQuery patterns for tag variables. */
    private static final Pattern TAG_VALUES = Pattern.compile("^tag_values\\(([^,]+)((, *[^,]+)*)\\)$");
    private static final Pattern TAGS = Pattern.compile("^tags\\(([^,]*)((, *[^,]+)*)\\)$");
    private static final Pattern EXPAND = Pattern.compile("^expand\\((.+)\\)$");
    private static final Pattern MORE_EXPRESSIONS = Pattern.compile(", *([^,]+)");

    /** A target as Grafana would send it, with where it came from. */
    record Target(String where, String text) {
    }

    private final String name;
    private final JsonObject dashboard;
    private final String dataSourceUid;
    private final FunctionLookup functions;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean checked;

    DashboardLint(String name, JsonObject dashboard, String dataSourceUid, FunctionLookup functions) {
        this.name = name;
        this.dashboard = dashboard;
        this.dataSourceUid = dataSourceUid;
        this.functions = functions;
        sampleValues();
    }

    /** Every problem found; empty when Grafana would send only targets Tally parses and supports. */
    List<String> problems() {
        if (checked) {
            return List.copyOf(problems);
        }
        checked = true;
        for (Target t : renderTargets()) {
            checkTarget(t);
        }
        checkVariableQueries();
        checkDataSources();
        return List.copyOf(problems);
    }

    /** Panel targets and render-type variable queries, interpolated and rewritten as Grafana sends them. */
    List<Target> renderTargets() {
        List<Target> out = new ArrayList<>();
        forEachPanel(panel -> {
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            Map<String, String> byRef = new LinkedHashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                JsonObject t = targets.getJsonObject(i);
                String text = t.getString("target");
                if (text != null && !text.isBlank()) {
                    byRef.put(t.getString("refId", String.valueOf((char) ('A' + i))), wire(text));
                }
            }
            for (var e : byRef.entrySet()) {
                String expanded = REFERENCE.matcher(e.getValue())
                        .replaceAll(m -> Matcher.quoteReplacement(byRef.getOrDefault(m.group(1), m.group())));
                out.add(new Target(name + " panel '" + panel.getString("title") + "' " + e.getKey(), expanded));
            }
        });
        for (JsonObject v : variables()) {
            String type = queryType(v);
            if (type.equals("Value") || type.equals("Metric Name")) {
                out.add(new Target(name + " variable $" + v.getString("name"), wire(variableQuery(v))));
            }
        }
        return out;
    }

    /** Interpolates variables with their sample values and applies Grafana's interval rewrite. */
    String wire(String target) {
        String interpolated = VARIABLE.matcher(target).replaceAll(m -> {
            String var = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(var);
            if (value == null) {
                problems.add(name + ": $" + var + " in '" + target + "' is not a variable of the dashboard");
                return Matcher.quoteReplacement(m.group());
            }
            return Matcher.quoteReplacement(value);
        });
        return MINUTES.matcher(interpolated).replaceAll(m -> m.group().replace("m", "min").replace("M", "mon"));
    }

    private void checkTarget(Target t) {
        Expr e;
        try {
            e = Parser.parse(t.text());
        } catch (ExpressionException ex) {
            problems.add(t.where() + ": '" + t.text() + "' does not parse: " + ex.getMessage());
            return;
        }
        walk(e, call -> {
            if (functions.find(call.name()) == null) {
                problems.add(t.where() + ": function " + call.name() + " is not supported by Tally (in '"
                        + t.text() + "')");
            }
        });
    }

    private static void walk(Expr e, Consumer<Expr.Call> onCall) {
        switch (e) {
            case Expr.Call c -> {
                onCall.accept(c);
                c.args().forEach(a -> walk(a, onCall));
                c.kwargs().forEach(k -> walk(k.value(), onCall));
            }
            case Expr.Template t -> {
                walk(t.inner(), onCall);
                t.args().forEach(a -> walk(a, onCall));
            }
            default -> {
            }
        }
    }

    private void checkVariableQueries() {
        for (JsonObject v : variables()) {
            if (!"query".equals(v.getString("type")) || !queryType(v).equals("Default")) {
                continue;
            }
            String where = name + " variable $" + v.getString("name");
            String q = wire(variableQuery(v));
            Matcher m;
            if ((m = TAG_VALUES.matcher(q)).matches()) {
                if (!m.group(1).matches("[^;!=~()]+")) {
                    problems.add(where + ": tag_values() needs a tag name first, got '" + m.group(1) + "'");
                }
                tagExpressions(where, m.group(2));
            } else if ((m = TAGS.matcher(q)).matches()) {
                if (!m.group(1).isEmpty()) {
                    tagExpression(where, m.group(1));
                }
                tagExpressions(where, m.group(2));
            } else if ((m = EXPAND.matcher(q)).matches()) {
                glob(where, m.group(1));
            } else {
                glob(where, q);
            }
        }
    }

    private void tagExpressions(String where, String rest) {
        Matcher m = MORE_EXPRESSIONS.matcher(rest);
        while (m.find()) {
            tagExpression(where, m.group(1));
        }
    }

    private void tagExpression(String where, String expr) {
        try {
            TagExpression.parse(expr.trim());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    private void glob(String where, String q) {
        try {
            if (!(Parser.parse(q) instanceof Expr.Path)) {
                problems.add(where + ": '" + q + "' is a /metrics/find query and must be a path glob");
            }
        } catch (ExpressionException e) {
            problems.add(where + ": '" + q + "' does not parse: " + e.getMessage());
        }
    }

    private void checkDataSources() {
        forEachPanel(panel -> {
            String where = name + " panel '" + panel.getString("title") + "'";
            uid(where, panel.getJsonObject("datasource"));
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            for (int i = 0; i < targets.size(); i++) {
                JsonObject ds = targets.getJsonObject(i).getJsonObject("datasource");
                if (ds != null) {
                    uid(where, ds);
                }
            }
        });
        for (JsonObject v : variables()) {
            if ("query".equals(v.getString("type"))) {
                uid(name + " variable $" + v.getString("name"), v.getJsonObject("datasource"));
            }
        }
    }

    private void uid(String where, JsonObject ds) {
        if (ds == null || !dataSourceUid.equals(ds.getString("uid")) || !"graphite".equals(ds.getString("type"))) {
            problems.add(where + ": data source " + ds + " is not {type: graphite, uid: " + dataSourceUid + "}");
        }
    }

    /** Panels outside rows, inside open rows (listed after them) and inside collapsed rows ({@code panels}). */
    void forEachPanel(Consumer<JsonObject> action) {
        JsonArray panels = dashboard.getJsonArray("panels", new JsonArray());
        for (int i = 0; i < panels.size(); i++) {
            JsonObject p = panels.getJsonObject(i);
            if ("row".equals(p.getString("type"))) {
                JsonArray nested = p.getJsonArray("panels", new JsonArray());
                for (int j = 0; j < nested.size(); j++) {
                    action.accept(nested.getJsonObject(j));
                }
            } else {
                action.accept(p);
            }
        }
    }

    List<JsonObject> variables() {
        JsonObject templating = dashboard.getJsonObject("templating", new JsonObject());
        JsonArray list = templating.getJsonArray("list", new JsonArray());
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.getJsonObject(i));
        }
        return out;
    }

    private static String queryType(JsonObject v) {
        Object q = v.getValue("query");
        return q instanceof JsonObject o ? o.getString("queryType", "Default") : "Default";
    }

    private static String variableQuery(JsonObject v) {
        Object q = v.getValue("query");
        return q instanceof JsonObject o ? o.getString("target", "") : String.valueOf(q);
    }

    /** Each variable's sample: its current value; "All" is its allValue (a glob); several values become {a,b}. */
    private void sampleValues() {
        for (JsonObject v : variables()) {
            String var = v.getString("name");
            JsonObject current = v.getJsonObject("current");
            Object value = current == null ? null : current.getValue("value");
            List<String> picked = new ArrayList<>();
            if (value instanceof JsonArray a) {
                a.forEach(x -> picked.add(String.valueOf(x)));
            } else if (value != null) {
                picked.add(String.valueOf(value));
            }
            if (picked.isEmpty()) {
                problems.add(name + " variable $" + var + ": no current value to test with");
                values.put(var, "sample");
            } else if (picked.contains("$__all")) {
                values.put(var, v.getString("allValue", "*"));
            } else {
                values.put(var, picked.size() == 1 ? picked.getFirst() : "{" + String.join(",", picked) + "}");
            }
        }
    }
}
