package io.tally.query.graph;

/**
 * The drawing surface {@link LineGraph} lays a picture out on; {@link PngCanvas} rasterises with java.awt,
 * {@link SvgCanvas} writes SVG text. Coordinates are pixels from the top left. Text is placed by its horizontal
 * anchor and its vertical centre. Not thread-safe: one canvas per picture.
 */
interface Canvas {
    enum Anchor { START, MIDDLE, END }

    void fillRect(double x, double y, double w, double h, Rgb color);

    void line(double x1, double y1, double x2, double y2, Rgb color, double width);

    /** Strokes the first {@code n} points as one connected line; {@code dash} 0 for solid. */
    void polyline(double[] xs, double[] ys, int n, Rgb color, double width, double dash);

    /** Fills the polygon of the first {@code n} points. */
    void fillPolygon(double[] xs, double[] ys, int n, Rgb color);

    /** Text centred vertically on {@code y}; {@code vertical} turns it 90° anticlockwise around (x, y). */
    void text(String s, double x, double y, Anchor anchor, double size, boolean bold, Rgb color, boolean vertical);

    double textWidth(String s, double size, boolean bold);

    /** Restricts drawing to a rectangle until {@link #unclip()}. */
    void clip(double x, double y, double w, double h);

    void unclip();

    /** Starts a named group (SVG {@code <g class=...>}); no effect on a raster. */
    void begin(String group, String label);

    void end();
}
