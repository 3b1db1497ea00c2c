package io.tally.query.graph;

import io.tally.query.BadRequestException;
import io.tally.query.Consolidation;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lays out and draws one line graph the way graphite-web's LineGraph looks: title on top, plot in the middle with
 * value labels on the left (and on the right when a series uses {@code secondYAxis}), time labels below it, and the
 * legend (colour swatch and name, in as many columns as fit) at the bottom.
 *
 * <p>Order of work: series are consolidated to at most one point per pixel column of the picture (graphite's
 * {@code maxDataPoints = width}, with the series' consolidation function); nulls become 0 with
 * {@code drawNullAsZero}; {@code areaMode=stacked} turns the left-axis series into running totals; the axes are
 * fitted to what will be drawn; then the vertical layout (title, legend, time labels), the value labels' widths,
 * and finally the drawing: grid, area fills (all of them before any line, so no fill hides a line), lines, labels,
 * legend. A null value breaks a line (with {@code lineMode=connected} a gap of up to {@code connectedLimit} points
 * is bridged) and leaves the background visible.
 *
 * <p>Per point the drawing writes into two reused coordinate buffers; no allocation per point. One instance draws
 * one picture on one thread.
 */
final class LineGraph {
    /** graphite-web's LEGEND_MAX_ITEMS: more series than this hide the legend unless hideLegend=false. */
    static final int LEGEND_MAX_ITEMS = 10;

    private final GraphOptions o;
    private final Canvas c;
    private final ZoneId zone;
    private final List<Plotted> plotted = new ArrayList<>();
    private double[] xs = new double[16];
    private double[] ys = new double[16];
    private long xMin;
    private long xMax;
    private double plotLeft;
    private double plotRight;
    private double plotTop;
    private double plotBottom;
    private YAxis left;
    private YAxis right;

    /** One series as drawn: its values after consolidation / stacking, the base its area is filled down to. */
    private record Plotted(Series series, double[] values, double[] base, boolean fill, Rgb line, Rgb area,
                           double width, double dash, boolean secondAxis, boolean stroke) {
        long timeAt(int i) {
            return series.start() + i * series.outputStep();
        }
    }

    LineGraph(GraphOptions o, Canvas c, ZoneId zone) {
        this.o = o;
        this.c = c;
        this.zone = zone;
    }

    void draw(List<Series> series, long from, long until) {
        c.begin("background", null);
        c.fillRect(0, 0, o.width, o.height, o.background);
        c.end();
        if (series.isEmpty()) {
            noData();
            return;
        }
        prepare(series, from, until);
        double top = o.margin;
        double bottom = o.height - o.margin;
        double leftEdge = o.margin;
        double rightEdge = o.width - o.margin;
        double fs = o.fontSize;
        if (!o.graphOnly && !o.title.isEmpty()) {
            top += title(top);
        }
        List<Plotted> legend = legendEntries();
        if (!legend.isEmpty()) {
            double height = legendHeight(legend, rightEdge - leftEdge);
            if (height <= (bottom - top) / 2) {
                drawLegend(legend, leftEdge, bottom - height + fs * 0.4, rightEdge - leftEdge);
                bottom -= height;
            }
        }
        boolean xLabels = !o.graphOnly && !o.hideXAxis;
        if (xLabels) {
            bottom -= fs * 1.8;
        }
        top += fs * 0.6; // room for the top value label's upper half
        boolean yLabels = !o.graphOnly && !o.hideYAxis;
        if (!o.graphOnly && !o.vtitle.isEmpty()) {
            c.begin("vtitle", null);
            c.text(o.vtitle, leftEdge + fs * 0.6, (top + bottom) / 2, Canvas.Anchor.MIDDLE, fs, o.fontBold,
                    o.foreground, true);
            c.end();
            leftEdge += fs * 1.6;
        }
        if (!o.graphOnly && !o.vtitleRight.isEmpty()) {
            c.begin("vtitleRight", null);
            c.text(o.vtitleRight, rightEdge - fs * 0.6, (top + bottom) / 2, Canvas.Anchor.MIDDLE, fs, o.fontBold,
                    o.foreground, true);
            c.end();
            rightEdge -= fs * 1.6;
        }
        int divisions = (int) Math.max(2, Math.min(8, (bottom - top) / (fs * 3)));
        left = axis(false, divisions);
        right = hasSecondAxis() ? axis(true, divisions) : null;
        if (yLabels && hasFirstAxis()) {
            leftEdge += labelWidth(left) + fs * 0.6;
        }
        if (yLabels && right != null) {
            rightEdge -= labelWidth(right) + fs * 0.6;
        }
        plotLeft = leftEdge;
        plotRight = Math.max(leftEdge + 1, rightEdge);
        plotTop = top;
        plotBottom = Math.max(top + 1, bottom);
        TimeAxis time = TimeAxis.of(xMin, xMax, zone, plotRight - plotLeft, c, fs);
        if (!o.hideGrid && !o.graphOnly) {
            grid(time);
        }
        drawSeries();
        if (yLabels) {
            c.begin("axis", "y");
            if (hasFirstAxis()) {
                valueLabels(left, plotLeft - fs * 0.4, Canvas.Anchor.END);
            }
            if (right != null) {
                valueLabels(right, plotRight + fs * 0.4, Canvas.Anchor.START);
            }
            c.end();
        }
        if (xLabels) {
            timeLabels(time);
        }
    }

    private void timeLabels(TimeAxis time) {
        double fs = o.fontSize;
        c.begin("axis", "x");
        for (int i = 0; i < time.ticks.length; i++) {
            double px = x(time.ticks[i]);
            double half = c.textWidth(time.labels[i], fs, o.fontBold) / 2;
            if (px - half >= 0 && px + half <= o.width) { // a label cut by the picture's edge is left out
                c.text(time.labels[i], px, plotBottom + fs * 0.9, Canvas.Anchor.MIDDLE, fs, o.fontBold,
                        o.foreground, false);
            }
        }
        c.end();
    }

    /** Draws the title centred below {@code top}; returns the height it takes. */
    private double title(double top) {
        double size = o.fontSize * 1.2;
        c.begin("title", null);
        c.text(o.title, o.width / 2.0, top + size * 0.7, Canvas.Anchor.MIDDLE, size, true, o.foreground, false);
        c.end();
        return size * 1.6;
    }

    private void noData() {
        c.begin("nodata", null);
        c.text("No Data", o.width / 2.0, o.height / 2.0, Canvas.Anchor.MIDDLE, o.fontSize * 1.5, true,
                o.foreground, false);
        c.end();
    }

    // ---- data ----

    private void prepare(List<Series> raw, long from, long until) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Series s : raw) {
            lo = Math.min(lo, s.start());
            hi = Math.max(hi, s.end());
        }
        if (hi > lo) {
            xMin = lo;
            xMax = hi;
        } else { // only single instants (verticalLine): show the requested range
            xMin = Math.min(lo, from);
            xMax = Math.max(xMin + 1, Math.max(hi, until));
        }
        List<Series> series = new ArrayList<>(Consolidation.apply(raw, o.width));
        for (int k = 0; k < series.size(); k++) {
            Series s = raw.get(k);
            if (s.style().drawAsInfinite() && s.size() <= o.width) {
                series.set(k, s); // a few on/off points: keep each one's own time, do not fold them
            }
        }
        int palette = 0;
        double[] stackTotal = null;
        double[] previousStacked = null;
        Plotted lower = null;
        boolean firstFilled = false;
        for (Series s : series) {
            SeriesStyle st = s.style();
            Rgb color;
            if (st.color() != null) {
                color = Rgb.parse(st.color());
                if (color == null) {
                    throw new BadRequestException("Invalid color '" + st.color() + "' for series " + s.name()
                            + " (expected a colour name or hex RRGGBB)");
                }
            } else {
                color = o.colorList.get(palette++ % o.colorList.size());
            }
            Rgb line = color.fade(st.alpha());
            Rgb area = line.fade(o.areaAlpha);
            double width = Double.isNaN(st.lineWidth()) ? o.lineWidth : st.lineWidth();
            double[] v = s.values();
            if (o.drawNullAsZero) {
                v = v.clone();
                for (int i = 0; i < v.length; i++) {
                    if (Double.isNaN(v[i])) {
                        v[i] = 0;
                    }
                }
            }
            double[] base = null;
            boolean fill = false;
            boolean stroke = true;
            if (st.drawAsInfinite()) {
                plotted.add(new Plotted(s, v, null, false, line, area, width, st.dashLength(), false, true));
                continue;
            }
            if (o.areaMode == GraphOptions.AreaMode.STACKED && !st.secondYAxis()) {
                double[] total = stackTotal == null ? new double[v.length]
                        : Arrays.copyOf(stackTotal, Math.max(stackTotal.length, v.length));
                base = total.clone();
                double[] top = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (Double.isNaN(v[i])) {
                        top[i] = Double.NaN;
                    } else {
                        total[i] += v[i];
                        top[i] = total[i];
                    }
                }
                stackTotal = total;
                v = top;
                fill = true;
            } else if (st.stacked()) {
                base = previousStacked != null ? previousStacked : new double[v.length];
                previousStacked = v;
                fill = true;
            } else if (st.band() == SeriesStyle.Band.UPPER && lower != null) {
                base = lower.values();
                fill = true;
            } else if (o.areaMode == GraphOptions.AreaMode.ALL
                    || (o.areaMode == GraphOptions.AreaMode.FIRST && !firstFilled)) {
                fill = true;
                firstFilled = true;
            }
            if (st.band() == SeriesStyle.Band.LOWER) {
                stroke = false;
            }
            Plotted p = new Plotted(s, v, base, fill, line, area, width, st.dashLength(), st.secondYAxis(), stroke);
            lower = st.band() == SeriesStyle.Band.LOWER ? p : null;
            plotted.add(p);
        }
    }

    private boolean hasSecondAxis() {
        for (Plotted p : plotted) {
            if (p.secondAxis()) {
                return true;
            }
        }
        return false;
    }

    private boolean hasFirstAxis() {
        for (Plotted p : plotted) {
            if (!p.secondAxis()) {
                return true;
            }
        }
        return !hasSecondAxis();
    }

    private YAxis axis(boolean second, int divisions) {
        double min = Double.NaN;
        double max = Double.NaN;
        for (Plotted p : plotted) {
            if (p.secondAxis() != second || p.series().style().drawAsInfinite()) {
                continue;
            }
            for (double v : p.values()) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    min = Double.isNaN(min) ? v : Math.min(min, v);
                    max = Double.isNaN(max) ? v : Math.max(max, v);
                }
            }
            if (reachesZero(p)) {
                min = Double.isNaN(min) ? 0 : Math.min(min, 0);
                max = Double.isNaN(max) ? 0 : Math.max(max, 0);
            }
        }
        double fixedMin = second ? o.yMinRight : o.yMinLeft;
        double fixedMax = second ? o.yMaxRight : o.yMaxLeft;
        double step = second ? o.yStepRight : o.yStepLeft;
        return YAxis.of(min, max, fixedMin, fixedMax, step, o.logBase, o.unitSystem, divisions);
    }

    /** Areas filled down to the axis and stacked bands include 0 in their axis; areaBetween bands do not. */
    private static boolean reachesZero(Plotted p) {
        if (!p.fill()) {
            return false;
        }
        return p.base() == null || p.series().style().band() == SeriesStyle.Band.NONE;
    }

    // ---- geometry ----

    private double x(long t) {
        return plotLeft + (double) (t - xMin) * (plotRight - plotLeft) / (xMax - xMin);
    }

    private double y(YAxis axis, double v) {
        double f = axis.fraction(v);
        double h = plotBottom - plotTop;
        if (Double.isNaN(f)) {
            return plotBottom + h; // below the plot: clipped away
        }
        double px = plotBottom - f * h;
        return Math.max(plotTop - 10 * h, Math.min(plotBottom + 10 * h, px));
    }

    private double baseline(YAxis axis) {
        double px = axis.logBase > 1 ? plotBottom : y(axis, 0);
        return Math.max(plotTop, Math.min(plotBottom, px));
    }

    private void ensure(int n) {
        if (xs.length < n) {
            int size = Math.max(n, xs.length * 2);
            xs = new double[size];
            ys = new double[size];
        }
    }

    private boolean present(Plotted p, int i) {
        return !Double.isNaN(p.values()[i]) && (p.base() == null || i >= p.base().length
                || !Double.isNaN(p.base()[i]));
    }

    private double baseAt(Plotted p, int i) {
        return p.base() == null || i >= p.base().length ? 0 : p.base()[i];
    }

    private void drawSeries() {
        c.clip(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop);
        for (Plotted p : plotted) {
            if (p.fill()) {
                c.begin("area", p.series().name());
                runs(p, true);
                c.end();
            }
        }
        for (Plotted p : plotted) {
            if (!p.stroke()) {
                continue;
            }
            c.begin("line", p.series().name());
            if (p.series().style().drawAsInfinite()) {
                infinite(p);
            } else {
                runs(p, false);
            }
            c.end();
        }
        c.unclip();
    }

    private void infinite(Plotted p) {
        double[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) {
                double px = x(p.timeAt(i));
                c.line(px, plotTop, px, plotBottom, p.line(), p.width());
            }
        }
    }

    /** Every unbroken run of present points, stroked or filled. */
    private void runs(Plotted p, boolean fill) {
        int n = p.values().length;
        int i = 0;
        while (i < n) {
            while (i < n && !present(p, i)) {
                i++;
            }
            if (i >= n) {
                return;
            }
            int first = i;
            int last = i;
            int j = i + 1;
            while (j < n) {
                if (present(p, j)) {
                    last = j++;
                    continue;
                }
                if (o.lineMode != GraphOptions.LineMode.CONNECTED) {
                    break;
                }
                int k = j;
                while (k < n && !present(p, k)) {
                    k++;
                }
                if (k >= n || k - j > o.connectedLimit) {
                    break;
                }
                j = k;
            }
            run(p, first, last, fill);
            i = last + 1;
        }
    }

    private void run(Plotted p, int first, int last, boolean fill) {
        YAxis axis = p.secondAxis() ? right : left;
        boolean stairs = o.lineMode == GraphOptions.LineMode.STAIRCASE;
        int points = (last - first + 1) * (stairs ? 2 : 1);
        ensure(fill ? 2 * points + 2 : points);
        double[] v = p.values();
        int n = 0;
        for (int i = first; i <= last; i++) {
            if (!present(p, i)) {
                continue;
            }
            double py = y(axis, v[i]);
            xs[n] = x(p.timeAt(i));
            ys[n++] = py;
            if (stairs) {
                xs[n] = x(p.timeAt(i + 1));
                ys[n++] = py;
            }
        }
        if (!fill) {
            c.polyline(xs, ys, n, p.line(), p.width(), p.dash());
            return;
        }
        if (p.base() == null) {
            double b = baseline(axis);
            xs[n] = xs[n - 1];
            ys[n++] = b;
            xs[n] = xs[0];
            ys[n++] = b;
        } else {
            int top = n;
            for (int k = top - 1; k >= 0; k--) {
                xs[n] = xs[k];
                n++;
            }
            // walk the points backwards again for the base values, in the same x order as just copied
            int w = top;
            for (int i = last; i >= first; i--) {
                if (!present(p, i)) {
                    continue;
                }
                double py = y(axis, baseAt(p, i));
                if (stairs) {
                    ys[w++] = py;
                }
                ys[w++] = py;
            }
        }
        c.fillPolygon(xs, ys, n, p.area());
    }

    // ---- grid, labels, legend ----

    private void grid(TimeAxis time) {
        YAxis axis = hasFirstAxis() ? left : right;
        c.begin("grid", null);
        double w = plotRight - plotLeft;
        if (o.minorY > 0 && axis.logBase <= 1 && axis.ticks.length > 0) {
            double minor = axis.step / (o.minorY + 1);
            double start = axis.ticks[0] - axis.step;
            for (int i = 0; i <= axis.ticks.length; i++) {
                for (int k = 1; k <= o.minorY; k++) {
                    double v = start + i * axis.step + k * minor;
                    if (v > axis.min && v < axis.max) {
                        double py = crisp(y(axis, v));
                        c.line(plotLeft, py, plotLeft + w, py, o.minorGrid, 1);
                    }
                }
            }
        }
        for (double t : axis.ticks) {
            double py = crisp(y(axis, t));
            c.line(plotLeft, py, plotLeft + w, py, o.majorGrid, 1);
        }
        for (long t : time.ticks) {
            double px = crisp(x(t));
            c.line(px, plotTop, px, plotBottom, o.minorGrid, 1);
        }
        c.end();
    }

    private static double crisp(double px) {
        return Math.floor(px) + 0.5;
    }

    private double labelWidth(YAxis axis) {
        double w = 0;
        for (String label : axis.labels) {
            w = Math.max(w, c.textWidth(label, o.fontSize, o.fontBold));
        }
        return w;
    }

    private void valueLabels(YAxis axis, double px, Canvas.Anchor anchor) {
        for (int i = 0; i < axis.ticks.length; i++) {
            c.text(axis.labels[i], px, y(axis, axis.ticks[i]), anchor, o.fontSize, o.fontBold, o.foreground, false);
        }
    }

    private List<Plotted> legendEntries() {
        List<Plotted> out = new ArrayList<>();
        if (Boolean.TRUE.equals(o.hideLegend)) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Plotted p : plotted) {
            if (!p.stroke() && !p.fill()) {
                continue;
            }
            if (p.series().style().band() == SeriesStyle.Band.LOWER) {
                continue;
            }
            if (o.uniqueLegend && !seen.add(p.series().name())) {
                continue;
            }
            if (o.hideNullFromLegend && allNull(p.values())) {
                continue;
            }
            out.add(p);
        }
        if (o.hideLegend == null && out.size() > LEGEND_MAX_ITEMS) {
            out.clear();
        }
        return out;
    }

    private static boolean allNull(double[] v) {
        for (double d : v) {
            if (!Double.isNaN(d)) {
                return false;
            }
        }
        return true;
    }

    private double legendColumnWidth(List<Plotted> entries) {
        double w = 0;
        for (Plotted p : entries) {
            w = Math.max(w, c.textWidth(p.series().name(), o.fontSize, o.fontBold));
        }
        return o.fontSize * 2.5 + w;
    }

    private int legendColumns(List<Plotted> entries, double width) {
        return (int) Math.max(1, Math.min(entries.size(), Math.floor(width / legendColumnWidth(entries))));
    }

    private double legendHeight(List<Plotted> entries, double width) {
        int columns = legendColumns(entries, width);
        int rows = (entries.size() + columns - 1) / columns;
        return rows * o.fontSize * 1.5 + o.fontSize * 0.8;
    }

    private void drawLegend(List<Plotted> entries, double x0, double y0, double width) {
        int columns = legendColumns(entries, width);
        double columnWidth = legendColumns(entries, width) == 1 ? width : legendColumnWidth(entries);
        double row = o.fontSize * 1.5;
        double box = o.fontSize;
        c.begin("legend", null);
        for (int i = 0; i < entries.size(); i++) {
            Plotted p = entries.get(i);
            double ex = x0 + (i % columns) * columnWidth;
            double cy = y0 + (i / columns) * row + row / 2;
            c.fillRect(ex, cy - box / 2, box, box, p.line());
            c.text(p.series().name(), ex + box * 1.5, cy, Canvas.Anchor.START, o.fontSize, o.fontBold,
                    o.foreground, false);
        }
        c.end();
    }
}
