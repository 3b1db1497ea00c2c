package io.tally.query.graph;

import io.tally.query.BadRequestException;
import io.tally.query.Params;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture parameters of a {@code /render?format=png|svg} request, as graphite-web's LineGraph takes them
 * (width, height, title, colours, line and area modes, axis bounds and units, what to hide, fonts). Unknown
 * parameters are ignored as graphite-web ignores them; a known parameter with a value that cannot be used is a
 * {@link BadRequestException} naming the parameter. The size is bounded ({@link #MAX_SIDE} per side,
 * {@link #MAX_PIXELS} in all) so that no request can make the server allocate a huge image.
 *
 * <p>Immutable. Fields are package-private for {@link LineGraph}; {@link #cacheKey()} is the canonical text of every
 * value that changes the picture (part of the render cache key).
 */
public final class GraphOptions {
    /** Longest side accepted, in pixels. */
    public static final int MAX_SIDE = 4000;
    /** Most pixels in one picture (about 16 MB of RGB raster). */
    public static final long MAX_PIXELS = 4_000_000;

    enum LineMode { SLOPE, STAIRCASE, CONNECTED }

    enum AreaMode { NONE, FIRST, ALL, STACKED }

    enum UnitSystem { SI, BINARY, NONE }

    /** The parameter names read here, in the order of the cache key. */
    private static final List<String> NAMES = List.of("width", "height", "title", "vtitle", "vtitleRight",
            "colorList", "bgcolor", "fgcolor", "majorGridLineColor", "minorGridLineColor", "lineWidth", "lineMode",
            "areaMode", "areaAlpha", "yMin", "yMax", "yMinLeft", "yMaxLeft", "yMinRight", "yMaxRight", "yStep",
            "yStepLeft", "yStepRight", "logBase", "hideLegend", "hideAxes", "hideXAxis", "hideYAxis", "hideGrid",
            "graphOnly", "fontSize", "fontBold", "fontItalic", "uniqueLegend", "drawNullAsZero", "connectedLimit",
            "yUnitSystem", "margin", "minorY", "hideNullFromLegend");

    private static final List<Rgb> DEFAULT_COLORS = List.of(Rgb.parse("blue"), Rgb.parse("green"), Rgb.parse("red"),
            Rgb.parse("purple"), Rgb.parse("brown"), Rgb.parse("yellow"), Rgb.parse("aqua"), Rgb.parse("grey"),
            Rgb.parse("magenta"), Rgb.parse("pink"), Rgb.parse("gold"), Rgb.parse("rose"));

    final int width;
    final int height;
    final String title;
    final String vtitle;
    final String vtitleRight;
    final List<Rgb> colorList;
    final Rgb background;
    final Rgb foreground;
    final Rgb majorGrid;
    final Rgb minorGrid;
    final double lineWidth;
    final LineMode lineMode;
    final AreaMode areaMode;
    /** NaN: areas opaque. */
    final double areaAlpha;
    /** NaN when not given. */
    final double yMinLeft;
    final double yMaxLeft;
    final double yMinRight;
    final double yMaxRight;
    final double yStepLeft;
    final double yStepRight;
    /** 0 for a linear axis. */
    final double logBase;
    /** null: hidden when there are more than {@link LineGraph#LEGEND_MAX_ITEMS} series. */
    final Boolean hideLegend;
    final boolean hideXAxis;
    final boolean hideYAxis;
    final boolean hideGrid;
    final boolean graphOnly;
    final double fontSize;
    final boolean fontBold;
    final boolean fontItalic;
    final boolean uniqueLegend;
    final boolean hideNullFromLegend;
    final boolean drawNullAsZero;
    final int connectedLimit;
    final UnitSystem unitSystem;
    final int margin;
    final int minorY;
    private final String cacheKey;

    private GraphOptions(Params p) {
        width = intParam(p, "width", 330, 1, MAX_SIDE);
        height = intParam(p, "height", 250, 1, MAX_SIDE);
        if ((long) width * height > MAX_PIXELS) {
            throw new BadRequestException("Invalid width/height: " + width + "x" + height + " is more than "
                    + MAX_PIXELS + " pixels");
        }
        title = text(p, "title");
        vtitle = text(p, "vtitle");
        vtitleRight = text(p, "vtitleRight");
        colorList = colorList(p.get("colorList"));
        background = color(p, "bgcolor", Rgb.BLACK);
        foreground = color(p, "fgcolor", Rgb.WHITE);
        majorGrid = color(p, "majorGridLineColor", Rgb.WHITE);
        minorGrid = color(p, "minorGridLineColor", Rgb.parse("grey"));
        lineWidth = number(p, "lineWidth", 1.2, 0, 100);
        lineMode = choice(p, "lineMode", LineMode.SLOPE, LineMode.values());
        areaMode = choice(p, "areaMode", AreaMode.NONE, AreaMode.values());
        areaAlpha = number(p, "areaAlpha", Double.NaN, 0, 1);
        double yMin = number(p, "yMin", Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE);
        double yMax = number(p, "yMax", Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE);
        double yStep = number(p, "yStep", Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE);
        yMinLeft = number(p, "yMinLeft", yMin, -Double.MAX_VALUE, Double.MAX_VALUE);
        yMaxLeft = number(p, "yMaxLeft", yMax, -Double.MAX_VALUE, Double.MAX_VALUE);
        yMinRight = number(p, "yMinRight", yMin, -Double.MAX_VALUE, Double.MAX_VALUE);
        yMaxRight = number(p, "yMaxRight", yMax, -Double.MAX_VALUE, Double.MAX_VALUE);
        yStepLeft = number(p, "yStepLeft", yStep, Double.MIN_VALUE, Double.MAX_VALUE);
        yStepRight = number(p, "yStepRight", yStep, Double.MIN_VALUE, Double.MAX_VALUE);
        bounds("yMin", yMinLeft, yMaxLeft);
        bounds("yMinRight", yMinRight, yMaxRight);
        logBase = logBase(p.get("logBase"));
        Boolean legend = bool(p, "hideLegend");
        boolean hideAxes = flag(p, "hideAxes");
        hideXAxis = hideAxes || flag(p, "hideXAxis");
        hideYAxis = hideAxes || flag(p, "hideYAxis");
        hideGrid = flag(p, "hideGrid");
        graphOnly = flag(p, "graphOnly");
        hideLegend = graphOnly ? Boolean.TRUE : legend;
        fontSize = number(p, "fontSize", 10, 1, 200);
        fontBold = flag(p, "fontBold");
        fontItalic = flag(p, "fontItalic");
        uniqueLegend = flag(p, "uniqueLegend");
        hideNullFromLegend = flag(p, "hideNullFromLegend");
        drawNullAsZero = flag(p, "drawNullAsZero");
        connectedLimit = intParam(p, "connectedLimit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        unitSystem = choice(p, "yUnitSystem", UnitSystem.SI, UnitSystem.values());
        margin = intParam(p, "margin", 10, 0, Math.min(width, height) / 2);
        minorY = intParam(p, "minorY", 1, 0, 10);
        StringBuilder key = new StringBuilder();
        for (String name : NAMES) {
            String v = p.get(name);
            if (v != null) {
                key.append(name).append('=').append(v).append('\u0000');
            }
        }
        cacheKey = key.toString();
    }

    /**
     * The options of a request.
     *
     * @throws BadRequestException naming the first parameter whose value cannot be used
     */
    public static GraphOptions parse(Params p) {
        return new GraphOptions(p);
    }

    /** graphite-web's defaults: 330x250, black background, white text. */
    public static GraphOptions defaults() {
        return new GraphOptions(new Params());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Every given picture parameter, canonically: equal keys draw equal pictures of equal data. */
    public String cacheKey() {
        return cacheKey;
    }

    private static BadRequestException invalid(String name, String value, String expected) {
        return new BadRequestException("Invalid " + name + ": '" + value + "' (expected " + expected + ")");
    }

    private static String text(Params p, String name) {
        String v = p.get(name);
        if (v == null) {
            return "";
        }
        if (v.length() > 1000) {
            throw new BadRequestException("Invalid " + name + ": longer than 1000 characters");
        }
        return v;
    }

    private static int intParam(Params p, String name, int dflt, int min, int max) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        double d = parseDouble(v);
        if (Double.isNaN(d) || d != Math.rint(d)) {
            throw invalid(name, v, "an integer");
        }
        if (d < min || d > max) {
            throw invalid(name, v, "an integer from " + min + " to " + max);
        }
        return (int) d;
    }

    private static double number(Params p, String name, double dflt, double min, double max) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        double d = parseDouble(v);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw invalid(name, v, "a number");
        }
        if (d < min || d > max) {
            throw invalid(name, v, min == Double.MIN_VALUE ? "a positive number"
                    : "a number from " + fmt(min) + " to " + fmt(max));
        }
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static double parseDouble(String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void bounds(String name, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min >= max) {
            throw new BadRequestException("Invalid " + name + ": " + fmt(min) + " is not below the maximum "
                    + fmt(max));
        }
    }

    private static double logBase(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        if (v.strip().equalsIgnoreCase("e")) {
            return Math.E;
        }
        double d = parseDouble(v);
        if (!(d > 1) || Double.isInfinite(d)) {
            throw invalid("logBase", v, "'e' or a number above 1");
        }
        return d;
    }

    /** graphite-web's reading of flags: true/false in any case, or a number (non-zero is true); absent is null. */
    private static Boolean bool(Params p, String name) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "on", "yes" -> Boolean.TRUE;
            case "false", "off", "no", "" -> Boolean.FALSE;
            default -> {
                double d = parseDouble(t);
                if (Double.isNaN(d)) {
                    throw invalid(name, v, "true or false");
                }
                yield d != 0;
            }
        };
    }

    private static boolean flag(Params p, String name) {
        return Boolean.TRUE.equals(bool(p, name));
    }

    private static <E extends Enum<E>> E choice(Params p, String name, E dflt, E[] values) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        for (E e : values) {
            if (e.name().equalsIgnoreCase(v.strip())) {
                return e;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (E e : values) {
            expected.append(expected.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw invalid(name, v, "one of " + expected);
    }

    private static Rgb color(Params p, String name, Rgb dflt) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        Rgb c = Rgb.parse(v);
        if (c == null) {
            throw invalid(name, v, "a colour name or hex RRGGBB");
        }
        return c;
    }

    private static List<Rgb> colorList(String v) {
        if (v == null || v.isBlank()) {
            return DEFAULT_COLORS;
        }
        List<Rgb> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Rgb c = Rgb.parse(part);
            if (c == null) {
                throw invalid("colorList", part.strip(), "colour names or hex RRGGBB separated by commas");
            }
            out.add(c);
        }
        return out.isEmpty() ? DEFAULT_COLORS : List.copyOf(out);
    }
}
