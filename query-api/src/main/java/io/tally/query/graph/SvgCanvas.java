package io.tally.query.graph;

import java.nio.charset.StandardCharsets;

/**
 * A {@link Canvas} that writes SVG 1.1 text: a {@code <title>}, then one {@code <g class=...>} per part of the graph
 * (background, title, grid, axes, one per series with its name in {@code data-name}, legend), paths in pixel
 * coordinates with two decimals. Every text from the request (titles, series names) goes through {@link #escape},
 * which also drops characters XML cannot carry, so the document is always well-formed. Text widths are estimated
 * from character classes (no fonts are read), so an SVG lays out the same on every host.
 */
final class SvgCanvas implements Canvas {
    private final StringBuilder out;
    private final boolean italic;
    private int clips;
    private boolean clipped;

    SvgCanvas(int width, int height, String title, boolean italic) {
        this.out = new StringBuilder(16 * 1024);
        this.italic = italic;
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n");
        if (!title.isEmpty()) {
            out.append("<title>");
            escape(out, title);
            out.append("</title>\n");
        }
    }

    /** Approximate advance of {@code s} in a sans-serif face, from the width class of each character. */
    static double estimateWidth(String s, double size, boolean bold) {
        double em = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("il.,:;|'!()[]ftjI ".indexOf(c) >= 0) {
                em += 0.32;
            } else if ("mwMW@%".indexOf(c) >= 0) {
                em += 0.88;
            } else if (c >= 'A' && c <= 'Z') {
                em += 0.68;
            } else {
                em += 0.58;
            }
        }
        return em * size * (bold ? 1.08 : 1.0);
    }

    /** Appends {@code s} as XML character data: markup characters escaped, characters XML forbids replaced. */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == '\uFFFE' || c == '\uFFFF') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    /** Appends a coordinate rounded to hundredths, without exponent or trailing zeros. */
    private void num(double d) {
        long v = Math.round(d * 100);
        if (v < 0) {
            out.append('-');
            v = -v;
        }
        out.append(v / 100);
        long frac = v % 100;
        if (frac != 0) {
            out.append('.').append((char) ('0' + frac / 10));
            if (frac % 10 != 0) {
                out.append((char) ('0' + frac % 10));
            }
        }
    }

    private void paint(String attr, Rgb c) {
        out.append(' ').append(attr).append("=\"").append(c.hex()).append('"');
        if (c.alpha() < 255) {
            out.append(' ').append(attr).append("-opacity=\"");
            num(c.opacity());
            out.append('"');
        }
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Rgb color) {
        out.append("<rect x=\"");
        num(x);
        out.append("\" y=\"");
        num(y);
        out.append("\" width=\"");
        num(w);
        out.append("\" height=\"");
        num(h);
        out.append('"');
        paint("fill", color);
        out.append("/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb color, double width) {
        out.append("<line x1=\"");
        num(x1);
        out.append("\" y1=\"");
        num(y1);
        out.append("\" x2=\"");
        num(x2);
        out.append("\" y2=\"");
        num(y2);
        out.append("\" stroke-width=\"");
        num(width);
        out.append('"');
        paint("stroke", color);
        out.append("/>\n");
    }

    private void points(double[] xs, double[] ys, int n) {
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? 'M' : 'L');
            num(xs[i]);
            out.append(' ');
            num(ys[i]);
        }
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, Rgb color, double width, double dash) {
        if (n < 1) {
            return;
        }
        out.append("<path d=\"");
        points(xs, ys, n);
        if (n == 1) {
            out.append('h').append(0);
        }
        out.append("\" fill=\"none\" stroke-width=\"");
        num(width);
        out.append("\" stroke-linejoin=\"round\"");
        if (n == 1) {
            out.append(" stroke-linecap=\"square\"");
        }
        if (dash > 0) {
            out.append(" stroke-dasharray=\"");
            num(dash);
            out.append(',');
            num(dash);
            out.append('"');
        }
        paint("stroke", color);
        out.append("/>\n");
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, Rgb color) {
        if (n < 3) {
            return;
        }
        out.append("<path d=\"");
        points(xs, ys, n);
        out.append("Z\" stroke=\"none\"");
        paint("fill", color);
        out.append("/>\n");
    }

    @Override
    public void text(String s, double x, double y, Anchor anchor, double size, boolean bold, Rgb color,
                     boolean vertical) {
        if (s.isEmpty()) {
            return;
        }
        out.append("<text x=\"");
        num(x);
        out.append("\" y=\"");
        num(y + 0.35 * size);
        out.append("\" font-size=\"");
        num(size);
        out.append('"');
        if (bold) {
            out.append(" font-weight=\"bold\"");
        }
        if (italic) {
            out.append(" font-style=\"italic\"");
        }
        if (anchor != Anchor.START) {
            out.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
        }
        if (vertical) {
            out.append(" transform=\"rotate(-90 ");
            num(x);
            out.append(' ');
            num(y);
            out.append(")\"");
        }
        paint("fill", color);
        out.append('>');
        escape(out, s);
        out.append("</text>\n");
    }

    @Override
    public double textWidth(String s, double size, boolean bold) {
        return estimateWidth(s, size, bold);
    }

    @Override
    public void clip(double x, double y, double w, double h) {
        String id = "clip" + clips++;
        out.append("<clipPath id=\"").append(id).append("\"><rect x=\"");
        num(x);
        out.append("\" y=\"");
        num(y);
        out.append("\" width=\"");
        num(w);
        out.append("\" height=\"");
        num(h);
        out.append("\"/></clipPath>\n<g clip-path=\"url(#").append(id).append(")\">\n");
        clipped = true;
    }

    @Override
    public void unclip() {
        if (clipped) {
            out.append("</g>\n");
            clipped = false;
        }
    }

    @Override
    public void begin(String group, String label) {
        out.append("<g class=\"").append(group).append('"');
        if (label != null) {
            out.append(" data-name=\"");
            escape(out, label);
            out.append('"');
        }
        out.append(">\n");
    }

    @Override
    public void end() {
        out.append("</g>\n");
    }

    /** Closes the document and encodes it as UTF-8. */
    byte[] svg() {
        out.append("</svg>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
