package io.tally.query.expr;

/** graphite-web's parameter types, as {@code /functions} names them. */
public enum ParamType {
    SERIES_LIST("seriesList"),
    SERIES_LISTS("seriesLists"),
    SERIES("series"),
    STRING("string"),
    INTEGER("integer"),
    FLOAT("float"),
    BOOLEAN("boolean"),
    INTERVAL("interval"),
    INT_OR_INTERVAL("intOrInterval"),
    INT_OR_INF("intOrInf"),
    NODE("node"),
    NODE_OR_TAG("nodeOrTag"),
    TAG("tag"),
    DATE("date"),
    AGG_FUNC("aggFunc"),
    AGG_OR_SERIES_FUNC("aggOrSeriesFunc"),
    ANY("any");

    private final String graphiteName;

    ParamType(String graphiteName) {
        this.graphiteName = graphiteName;
    }

    public String graphiteName() {
        return graphiteName;
    }
}
