package io.tally.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Plugin text for {@link Report}s (spec 4.5/4.6): line 1 {@code STATE: alert[region] avg10m=142.3 >= warn 100 (crit 200)
 * | perfdata}, long-output lines, and the HTTP reason phrase. Everything that comes from a request or from storage is
 * sanitised: printable ASCII only, no {@code |}, so nothing can cut into the perfdata or a header. Stateless.
 */
public final class NagiosFormat {
    public static final int MAX_REASON = 120;

    private NagiosFormat() {
    }

    /** {@code 142.3}, {@code 231}, {@code 0.005}; {@code U} for NaN; never exponent notation (perfdata needs [-0-9.]). */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "U";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "999999999999999" : "-999999999999999";
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        String out = s.substring(0, end);
        return out.equals("-0") ? "0" : out;
    }

    /** Printable ASCII, no {@code |}, at most {@code max} characters ({@code ?} replaces the rest). */
    public static String clean(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '|' ? c : (c == '\n' || c == '\r' || c == '\t' ? ' ' : '?'));
        }
        return b.toString();
    }

    static String who(Report r) {
        return clean(r.alert(), 80) + "[" + clean(r.region(), 64) + "]";
    }

    /** The measure with its comparison, e.g. {@code avg10m=142.3 >= warn 100 (crit 200)}; reason is the short form. */
    static String measure(Report r, boolean shortForm) {
        AlertDefinition d = r.definition();
        Snapshot s = r.snapshot();
        AlertDefinition.Condition c = d.condition();
        String m = d.measureLabel() + "=" + number(s.value());
        State level = s.state();
        if (level == State.CRITICAL && !Double.isNaN(c.crit()) && c.breachesCrit(s.value())) {
            return m + " " + c.op() + (shortForm ? " " : " crit ") + thresholdText(c, true);
        }
        if ((level == State.WARNING || level == State.CRITICAL) && !Double.isNaN(c.warn())
                && c.breachesWarn(s.value())) {
            return m + " " + c.op() + (shortForm ? " " : " warn ") + thresholdText(c, false)
                    + (shortForm || Double.isNaN(c.crit()) ? "" : " (crit " + thresholdText(c, true) + ")");
        }
        if (level == State.OK && !shortForm) {
            boolean crit = Double.isNaN(c.warn());
            return m + " " + c.okOp() + (crit ? " crit " : " warn ") + thresholdText(c, crit);
        }
        if (level != State.OK && !shortForm) {
            return m + " (held by recover level)";
        }
        return m;
    }

    /** What happened, without the state word: {@code api[us] avg10m=142.3 >= warn 100 (crit 200)}. */
    static String message(Report r, boolean shortForm) {
        String who = who(r);
        if (r.definition() == null || r.snapshot() == null) {
            return who + " " + r.problem();
        }
        Snapshot s = r.snapshot();
        StringBuilder b = new StringBuilder(who);
        if (r.problem() != null) {
            b.append(' ').append(r.problem());
        } else if (s.raw() == Evaluation.Kind.ERROR && !s.missingRegions().isEmpty()) {
            b.append(' ').append(clean(Evaluation.missingText(s.missingRegions()), 200));
        } else if (s.raw() == Evaluation.Kind.NO_DATA || s.raw() == Evaluation.Kind.ERROR) {
            b.append(s.raw() == Evaluation.Kind.NO_DATA ? " no data" : " query error");
            long lasted = s.problemSinceMillis() == 0 ? 0 : r.nowMillis() - s.problemSinceMillis();
            if (lasted >= 60_000 && s.raw() == Evaluation.Kind.NO_DATA) {
                b.append(" for ").append(Durations.format(lasted / 60_000 * 60));
            }
            if (!shortForm) {
                b.append(" (").append(clean(s.detail(), 200)).append(')');
            }
        } else {
            if (s.seriesName() != null && r.definition().series() != AlertDefinition.SeriesMode.FIRST && !shortForm
                    && s.series() > 1) {
                b.append(' ').append(clean(s.seriesName(), 120));
            }
            b.append(' ').append(measure(r, shortForm));
            if (!s.missingRegions().isEmpty()) { // missing_regions: ignore
                b.append(shortForm ? " partial" : " (partial: " + clean(Evaluation.missingText(s.missingRegions()), 200)
                        + ")");
            }
        }
        if (r.modifier() != null) {
            if (shortForm) {
                b.append(r.annotate() ? " [SILENCED]" : " " + clean(r.modifier(), 60).split(" ", 2)[0]
                        + " (real " + r.realState() + ")");
            } else {
                b.append(r.annotate() ? " [SILENCED] " : " ").append(clean(r.modifier(), 200))
                        .append(" (real state ").append(r.realState()).append(')');
            }
        }
        if (s.pendingState() != null && !shortForm && r.problem() == null) {
            b.append(" (pending ").append(s.pendingState()).append(" since ")
                    .append(Instant.ofEpochMilli(s.pendingSinceMillis())).append(')');
        }
        if (s.flapping() && !shortForm) {
            b.append(" (flapping)");
        }
        return b.toString();
    }

    /** The reason phrase: {@code WARNING api[us] avg10m=142.3 >= 100}, at most {@value #MAX_REASON} characters. */
    public static String reason(Report r, State shown) {
        return clean(shown + " " + message(r, true), MAX_REASON);
    }

    /** {@code value=142.3;100;200;; points=10;;;0;}, or with {@code range} exact Nagios ranges. */
    public static String perfdata(Report r, boolean range) {
        if (r.definition() == null || r.snapshot() == null) {
            return "";
        }
        AlertDefinition.Condition c = r.definition().condition();
        Snapshot s = r.snapshot();
        return "value=" + number(s.value()) + ";" + threshold(c, false, range) + ";" + threshold(c, true, range)
                + ";; points=" + s.points() + ";;;0;";
    }

    /** The warn or crit threshold as line 1 shows it: {@code 100}, or {@code [18, 27]} for a range. */
    static String thresholdText(AlertDefinition.Condition c, boolean crit) {
        double t = crit ? c.crit() : c.warn();
        if (!c.direction().ranged()) {
            return number(t);
        }
        double high = crit ? c.critHigh() : c.warnHigh();
        return "[" + (t == Double.NEGATIVE_INFINITY ? "-inf" : number(t)) + ", "
                + (high == Double.POSITIVE_INFINITY ? "inf" : number(high)) + "]";
    }

    /**
     * The warn or crit field of the perfdata: the plain number, or with {@code range} (and always for outside and
     * inside) the exact Nagios range that alerts.
     */
    public static String threshold(AlertDefinition.Condition c, boolean crit, boolean range) {
        double t = crit ? c.crit() : c.warn();
        if (Double.isNaN(t)) {
            return "";
        }
        switch (c.direction()) {
            case OUTSIDE, INSIDE -> {
                // "L:H" alerts outside [L, H], "@L:H" inside it (endpoints inclusive: an exclusive range is drawn
                // the same, the nearest Nagios can say)
                double high = crit ? c.critHigh() : c.warnHigh();
                return (c.direction() == AlertDefinition.Direction.INSIDE ? "@" : "")
                        + (t == Double.NEGATIVE_INFINITY ? "~" : number(t)) + ":"
                        + (high == Double.POSITIVE_INFINITY ? "" : number(high));
            }
            default -> {
                if (!range) {
                    return number(t);
                }
                // inclusive "x >= T" is "@T:"; exclusive "x > T" is "~:T" (alert outside (-inf, T])
                if (c.direction() != AlertDefinition.Direction.BELOW) {
                    return c.inclusive() ? "@" + number(t) + ":" : "~:" + number(t);
                }
                return c.inclusive() ? "@~:" + number(t) : number(t) + ":";
            }
        }
    }

    /** The whole plugin text of one instance: line 1 with perfdata, then target, window, since and flags. */
    public static String body(Report r, State shown, boolean range) {
        StringBuilder b = new StringBuilder(256);
        b.append(shown).append(": ").append(message(r, false));
        String perf = perfdata(r, range);
        if (!perf.isEmpty()) {
            b.append(" | ").append(perf);
        }
        b.append('\n');
        AlertDefinition d = r.definition();
        Snapshot s = r.snapshot();
        if (d != null && s != null) {
            b.append("target=").append(clean(d.targetFor(r.region()), 1000)).append(" window=[-")
                    .append(Durations.format(d.offsetSeconds() + d.windowSeconds())).append(",-")
                    .append(Durations.format(d.offsetSeconds())).append(']');
            if (s.sinceMillis() > 0) {
                b.append(" since=").append(Instant.ofEpochMilli(s.sinceMillis()));
            }
            if (s.evaluatedAt() > 0) {
                b.append(" evaluated=").append(Instant.ofEpochMilli(s.evaluatedAt()));
            }
            b.append('\n');
            if (!s.missingRegions().isEmpty()) {
                b.append("missing_regions=");
                boolean first = true;
                for (java.util.Map.Entry<String, String> m : s.missingRegions().entrySet()) {
                    b.append(first ? "" : ",").append(clean(m.getKey(), 64)).append(':')
                            .append(clean(m.getValue(), 64));
                    first = false;
                }
                b.append(" policy=").append(d.missingRegions().lower()).append('\n');
            }
            String summary = d.annotations().get("summary");
            if (summary != null) {
                b.append("summary=").append(clean(summary(summary, r), 300)).append('\n');
            }
            String runbook = d.annotations().get("runbook");
            if (runbook != null) {
                b.append("runbook=").append(clean(runbook, 300)).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code {{value}}} and {@code {{region}}} filled into an annotation. */
    public static String summary(String template, Report r) {
        String v = r.snapshot() == null ? "U" : number(r.snapshot().value());
        return template.replace("{{value}}", v).replace("{{region}}", r.region()).replace("{{alert}}", r.alert());
    }

    /** Line 1 of an aggregate (all regions of an alert, or a region rollup). */
    public static String aggregateBody(State worst, String head, List<String> lines, String perf) {
        StringBuilder b = new StringBuilder(128 + lines.size() * 80);
        b.append(worst).append(": ").append(clean(head, 300));
        if (!perf.isEmpty()) {
            b.append(" | ").append(perf);
        }
        b.append('\n');
        for (String l : lines) {
            b.append(clean(l, 400)).append('\n');
        }
        return b.toString();
    }

    /** A perfdata label, quoted when it holds a space; {@code '} doubled, {@code =} replaced. */
    public static String label(String s) {
        String c = clean(s, 60).replace('=', '_');
        return c.indexOf(' ') >= 0 || c.indexOf('\'') >= 0 ? "'" + c.replace("'", "''") + "'" : c;
    }
}
