package io.tally.query.expr;

/**
 * How a series is drawn in a picture ({@code format=png/svg}), set by the Graph functions ({@code color},
 * {@code alpha}, {@code lineWidth}, {@code dashed}, {@code secondYAxis}, {@code stacked}, {@code areaBetween},
 * {@code drawAsInfinite}); graphite-web keeps these in {@code series.color} and {@code series.options}. They never
 * change values, so json/csv/raw/pickle/msgpack answers ignore them. Immutable; {@link #DEFAULT} means "nothing set".
 *
 * @param color          a colour name or hex text as given to {@code color()}, or null for the graph's colour list
 * @param alpha          0..1, or NaN when not set
 * @param lineWidth      pixels, or NaN for the graph's {@code lineWidth}
 * @param dashLength     pixels of each dash, 0 for a solid line
 * @param secondYAxis    drawn against the right axis
 * @param stacked        the values are running totals ({@code stacked()}): filled down to the previous stacked series
 * @param drawAsInfinite every point above 0 is drawn as a vertical line over the whole plot
 * @param band           the role of the series in an {@code areaBetween} pair
 */
public record SeriesStyle(String color, double alpha, double lineWidth, double dashLength, boolean secondYAxis,
                          boolean stacked, boolean drawAsInfinite, Band band) {

    /** The two halves of {@code areaBetween(lower, upper)}: the lower one is not stroked, the band is filled. */
    public enum Band { NONE, LOWER, UPPER }

    public static final SeriesStyle DEFAULT = new SeriesStyle(null, Double.NaN, Double.NaN, 0, false, false, false,
            Band.NONE);

    public SeriesStyle withColor(String v) {
        return new SeriesStyle(v, alpha, lineWidth, dashLength, secondYAxis, stacked, drawAsInfinite, band);
    }

    public SeriesStyle withAlpha(double v) {
        return new SeriesStyle(color, v, lineWidth, dashLength, secondYAxis, stacked, drawAsInfinite, band);
    }

    public SeriesStyle withLineWidth(double v) {
        return new SeriesStyle(color, alpha, v, dashLength, secondYAxis, stacked, drawAsInfinite, band);
    }

    public SeriesStyle withDashLength(double v) {
        return new SeriesStyle(color, alpha, lineWidth, v, secondYAxis, stacked, drawAsInfinite, band);
    }

    public SeriesStyle withSecondYAxis() {
        return new SeriesStyle(color, alpha, lineWidth, dashLength, true, stacked, drawAsInfinite, band);
    }

    public SeriesStyle withStacked() {
        return new SeriesStyle(color, alpha, lineWidth, dashLength, secondYAxis, true, drawAsInfinite, band);
    }

    public SeriesStyle withDrawAsInfinite() {
        return new SeriesStyle(color, alpha, lineWidth, dashLength, secondYAxis, stacked, true, band);
    }

    public SeriesStyle withBand(Band v) {
        return new SeriesStyle(color, alpha, lineWidth, dashLength, secondYAxis, stacked, drawAsInfinite, v);
    }
}
