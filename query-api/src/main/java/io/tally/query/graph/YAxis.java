package io.tally.query.graph;

import java.util.Locale;

/**
 * One value axis: its bounds, major ticks with their labels, and the value → fraction-of-height mapping. Linear
 * axes step by 1, 2 or 5 times a power of ten (powers of two for the binary unit system), bounds rounded out to
 * whole steps unless {@code yMin}/{@code yMax} fix them; log axes tick at powers of the base and ignore values
 * at or below 0. Labels are scaled to one SI ({@code K M G T P}) or binary ({@code Ki Mi Gi Ti Pi}) prefix chosen
 * from the largest bound, with as many decimals as the step needs. Immutable.
 */
final class YAxis {
    private static final int MAX_TICKS = 100;
    private static final String[] SI = {"", "K", "M", "G", "T", "P"};
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};

    final double min;
    final double max;
    final double step;
    final double logBase;
    final double[] ticks;
    final String[] labels;

    private YAxis(double min, double max, double step, double logBase, double[] ticks, String[] labels) {
        this.min = min;
        this.max = max;
        this.step = step;
        this.logBase = logBase;
        this.ticks = ticks;
        this.labels = labels;
    }

    /**
     * @param dataMin   smallest value drawn, NaN when nothing is drawn
     * @param dataMax   largest value drawn, NaN when nothing is drawn
     * @param fixedMin  yMin, or NaN
     * @param fixedMax  yMax, or NaN
     * @param fixedStep yStep, or NaN
     * @param divisions how many steps the axis should have about
     */
    static YAxis of(double dataMin, double dataMax, double fixedMin, double fixedMax, double fixedStep,
                    double logBase, GraphOptions.UnitSystem units, int divisions) {
        if (logBase > 1) {
            return log(dataMin, dataMax, fixedMin, fixedMax, logBase, units);
        }
        double lo = Double.isNaN(fixedMin) ? dataMin : fixedMin;
        double hi = Double.isNaN(fixedMax) ? dataMax : fixedMax;
        if (Double.isNaN(lo) && Double.isNaN(hi)) {
            lo = 0;
            hi = 1;
        } else if (Double.isNaN(lo)) {
            lo = Math.min(0, hi - 1);
        } else if (Double.isNaN(hi)) {
            hi = Math.max(lo + 1, 0);
        }
        if (hi <= lo) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            if (Double.isNaN(fixedMin)) {
                lo -= pad;
            }
            if (Double.isNaN(fixedMax) || hi <= lo) {
                hi = lo + 2 * pad;
            }
        }
        double span = hi - lo;
        double step = !Double.isNaN(fixedStep) && span / fixedStep <= MAX_TICKS ? fixedStep
                : nice(span / Math.max(1, divisions), units);
        double axisMin = Double.isNaN(fixedMin) ? Math.floor(lo / step) * step : lo;
        double axisMax = Double.isNaN(fixedMax) ? Math.ceil(hi / step) * step : hi;
        if (axisMax <= axisMin) {
            axisMax = axisMin + step;
        }
        double first = Math.ceil(axisMin / step - 1e-9) * step;
        int count = (int) Math.min(MAX_TICKS, Math.floor((axisMax - first) / step + 1e-9) + 1);
        double[] ticks = new double[Math.max(0, count)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = first + i * step;
            if (Math.abs(ticks[i]) < step * 1e-9) {
                ticks[i] = 0;
            }
        }
        double magnitude = Math.max(Math.abs(axisMin), Math.abs(axisMax));
        double unit = unit(magnitude, units);
        String prefix = prefix(magnitude, units);
        int decimals = decimals(step / unit);
        String[] labels = new String[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            labels[i] = ticks[i] == 0 ? "0" : format(ticks[i] / unit, decimals) + prefix;
        }
        return new YAxis(axisMin, axisMax, step, 0, ticks, labels);
    }

    private static YAxis log(double dataMin, double dataMax, double fixedMin, double fixedMax, double base,
                             GraphOptions.UnitSystem units) {
        double lnBase = Math.log(base);
        double lo = !Double.isNaN(fixedMin) && fixedMin > 0 ? fixedMin
                : dataMin > 0 ? Math.pow(base, Math.floor(Math.log(dataMin) / lnBase + 1e-9)) : 1;
        double hi = !Double.isNaN(fixedMax) && fixedMax > 0 ? fixedMax
                : dataMax > 0 ? Math.pow(base, Math.ceil(Math.log(dataMax) / lnBase - 1e-9)) : lo * base;
        if (hi <= lo) {
            hi = lo * base;
        }
        double firstExp = Math.ceil(Math.log(lo) / lnBase - 1e-9);
        int count = (int) Math.min(MAX_TICKS, Math.floor(Math.log(hi) / lnBase + 1e-9) - firstExp + 1);
        double[] ticks = new double[Math.max(0, count)];
        String[] labels = new String[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = Math.pow(base, firstExp + i);
            double unit = unit(ticks[i], units);
            double scaled = ticks[i] / unit;
            labels[i] = format(scaled, decimals(scaled)) + prefix(ticks[i], units);
        }
        return new YAxis(lo, hi, 0, base, ticks, labels);
    }

    /** A step of 1, 2 or 5 × 10^k at least {@code rough} (binary: a power of two once above 1). */
    static double nice(double rough, GraphOptions.UnitSystem units) {
        if (!(rough > 0) || Double.isInfinite(rough)) {
            return 1;
        }
        if (units == GraphOptions.UnitSystem.BINARY && rough >= 1) {
            return Math.pow(2, Math.ceil(Math.log(rough) / Math.log(2) - 1e-9));
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double n = rough / magnitude;
        double m = n <= 1 + 1e-9 ? 1 : n <= 2 + 1e-9 ? 2 : n <= 5 + 1e-9 ? 5 : 10;
        return m * magnitude;
    }

    private static int power(double magnitude, GraphOptions.UnitSystem units) {
        if (units == GraphOptions.UnitSystem.NONE || !(magnitude >= 1)) {
            return 0;
        }
        double base = units == GraphOptions.UnitSystem.BINARY ? 1024 : 1000;
        int p = 0;
        while (p < SI.length - 1 && magnitude >= Math.pow(base, p + 1)) {
            p++;
        }
        return p;
    }

    private static double unit(double magnitude, GraphOptions.UnitSystem units) {
        return Math.pow(units == GraphOptions.UnitSystem.BINARY ? 1024 : 1000, power(magnitude, units));
    }

    private static String prefix(double magnitude, GraphOptions.UnitSystem units) {
        int p = power(magnitude, units);
        return units == GraphOptions.UnitSystem.BINARY ? BINARY[p] : SI[p];
    }

    /** Decimals needed to tell multiples of {@code step} apart (at most 6). */
    private static int decimals(double step) {
        for (int d = 0; d < 6; d++) {
            double scaled = step * Math.pow(10, d);
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-6 * Math.max(1, scaled)) {
                return d;
            }
        }
        return 6;
    }

    private static String format(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.startsWith("-") && Double.parseDouble(s) == 0 ? s.substring(1) : s;
    }

    /** Where {@code v} lies between the bounds: 0 at {@link #min}, 1 at {@link #max}; NaN if it cannot be drawn. */
    double fraction(double v) {
        if (logBase > 1) {
            if (!(v > 0)) {
                return Double.NaN;
            }
            return (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
        }
        return (v - min) / (max - min);
    }
}
