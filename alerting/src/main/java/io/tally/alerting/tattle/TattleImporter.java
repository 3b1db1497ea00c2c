package io.tally.alerting.tattle;

import io.tally.alerting.AlertingConfig;
import io.tally.alerting.DefinitionException;
import io.tally.alerting.DefinitionParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns Tattle's {@code checks} table (and optionally its {@code subscriptions} table), exported as CSV with a
 * header row or as a JSON array of objects, into a Tally definitions file (spec 4.8), with Tattle's behaviour as the
 * compatibility profile: {@code series: first}, {@code no_data}/{@code on_error: keep_last}, inclusive thresholds,
 * {@code movingAverage} + {@code last} or {@code movingMedian} + {@code median} over the sample window, the
 * {@code ALERTS_TIME_OFFSET} as {@code offset}, {@code repeat_delay} as {@code repeat}, the Period as {@code active}.
 *
 * <p>Predictive checks become {@code type: predictive} with their regression as {@code baseline}. Checks that
 * cannot be carried over are skipped with a warning naming the check: thresholds in the wrong order for the
 * direction (Tattle never checked), predictive checks with fewer than 2 regressions (no deviation), unusable
 * targets. Every emitted alert has passed {@link DefinitionParser}, so the file loads. Stateless.
 */
public final class TattleImporter {

    /** The YAML document and what was skipped or changed, one line per check. */
    public record Result(String yaml, int imported, List<String> warnings) {
    }

    /**
     * @param offsetSeconds Tattle's {@code ALERTS_TIME_OFFSET} in seconds (default 60)
     * @param webhookRef    the configured webhook that Tattle subscriptions become ({@code notify: [{ref: ...}]});
     *                      null: subscriptions are not imported
     */
    public record Options(long offsetSeconds, String webhookRef) {
        public static Options defaults() {
            return new Options(60, null);
        }
    }

    private TattleImporter() {
    }

    /**
     * Usage: {@code TattleImporter CHECKS(.csv|.json) [--subscriptions FILE] [--offset 1m] [--webhook-ref NAME]
     * [--out FILE]}; the YAML goes to {@code --out} or stdout, warnings to stderr. Exit 0, or 2 on bad arguments.
     */
    public static void main(String[] args) throws IOException {
        Path checks = null;
        Path subs = null;
        Path out = null;
        long offset = 60;
        String ref = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "--subscriptions" -> subs = hasValue ? Path.of(args[++i]) : null;
                case "--out" -> out = hasValue ? Path.of(args[++i]) : null;
                case "--offset" -> offset = hasValue ? io.tally.alerting.Durations.parseSeconds(args[++i]) : -1;
                case "--webhook-ref" -> ref = hasValue ? args[++i] : null;
                default -> checks = a.startsWith("--") ? null : Path.of(a);
            }
        }
        if (checks == null || offset < 0) {
            System.err.println("usage: tattle-import CHECKS.csv|CHECKS.json [--subscriptions FILE] [--offset 1m] "
                    + "[--webhook-ref NAME] [--out alerts.yaml]");
            System.exit(2);
            return;
        }
        Result r = importFiles(checks, subs, new Options(offset, ref));
        for (String w : r.warnings()) {
            System.err.println("warning: " + w);
        }
        if (out != null) {
            Files.writeString(out, r.yaml(), StandardCharsets.UTF_8);
            System.err.println(r.imported() + " checks imported into " + out);
        } else {
            System.out.print(r.yaml());
        }
    }

    /** Reads the exports (CSV or JSON, by content) and converts them. */
    public static Result importFiles(Path checks, Path subscriptions, Options options) throws IOException {
        List<Map<String, String>> c = rows(Files.readString(checks, StandardCharsets.UTF_8));
        List<Map<String, String>> s = subscriptions == null ? List.of()
                : rows(Files.readString(subscriptions, StandardCharsets.UTF_8));
        return convert(c, s, options);
    }

    /** Rows of a CSV export (header row first) or of a JSON array of objects. */
    public static List<Map<String, String>> rows(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            List<Map<String, String>> out = new ArrayList<>();
            for (Object o : new JsonArray(t)) {
                Map<String, String> row = new LinkedHashMap<>();
                ((JsonObject) o).forEach(e -> row.put(e.getKey(), e.getValue() == null ? null
                        : String.valueOf(e.getValue())));
                out.add(row);
            }
            return out;
        }
        List<List<String>> records = Csv.parse(text);
        List<Map<String, String>> out = new ArrayList<>();
        if (records.isEmpty()) {
            return out;
        }
        List<String> header = records.get(0);
        for (int i = 1; i < records.size(); i++) {
            List<String> rec = records.get(i);
            if (rec.size() == 1 && rec.get(0).isEmpty()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < header.size(); k++) {
                String v = k < rec.size() ? rec.get(k) : null;
                row.put(header.get(k).strip(), v == null || v.equals("NULL") || v.equals("\\N") ? null : v);
            }
            out.add(row);
        }
        return out;
    }

    /** Converts check rows (and subscription rows) into a definitions document. */
    public static Result convert(List<Map<String, String>> checks, List<Map<String, String>> subscriptions,
                                 Options options) {
        DefinitionParser parser = new DefinitionParser(AlertingConfig.Limits.defaults());
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<String> warnings = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        StringBuilder doc = new StringBuilder(4096);
        doc.append("# Imported from Tattle (spec 4.8): Tattle's behaviour kept as the compatibility profile.\n")
                .append("defaults:\n  interval: 60s\n  offset: ").append(options.offsetSeconds()).append("s\n")
                .append("  series: first\n  no_data: {policy: keep_last}\n  on_error: {policy: keep_last}\n")
                .append("alerts:\n");
        int imported = 0;
        for (Map<String, String> c : checks) {
            String checkId = c.getOrDefault("check_id", "?");
            String label = "check " + checkId + " (" + c.getOrDefault("name", "") + ")";
            try {
                String alert = alert(c, subscriptions, options, ids);
                String one = "defaults:\n  interval: 60s\n  offset: " + options.offsetSeconds() + "s\n  series: first\n"
                        + "  no_data: {policy: keep_last}\n  on_error: {policy: keep_last}\nalerts:\n" + alert;
                parser.parseDocument(yaml.load(one), "tattle " + label);
                doc.append(alert);
                imported++;
            } catch (Skip s) {
                warnings.add(label + ": skipped: " + s.getMessage());
            } catch (DefinitionException e) {
                warnings.add(label + ": skipped: " + e.field().replaceFirst("^alerts\\[0\\]\\.", "") + ": "
                        + e.problem());
            }
        }
        if (imported == 0) {
            doc.append("  []\n");
        }
        return new Result(doc.toString(), imported, warnings);
    }

    private static final class Skip extends RuntimeException {
        Skip(String m) {
            super(m);
        }
    }

    private static String alert(Map<String, String> c, List<Map<String, String>> subs, Options o, Set<String> ids) {
        String type = c.getOrDefault("type", "threshold");
        boolean predictive = type != null && type.strip().equals("predictive");
        String name = required(c, "name");
        String target = required(c, "target");
        String checkId = c.getOrDefault("check_id", "");
        String id = slug(name);
        if (!ids.add(id)) {
            id = slug(name + "-" + checkId);
            if (!ids.add(id)) {
                throw new Skip("no unique id for this name");
            }
        }
        String overUnder = c.getOrDefault("over_under", "0");
        String direction = switch (overUnder == null ? "0" : overUnder.strip()) {
            case "0" -> "above";
            case "1" -> "below";
            case "2" -> {
                if (!predictive) {
                    throw new Skip("over_under 2 (Both) exists for predictive checks only");
                }
                yield "both";
            }
            default -> throw new Skip("over_under " + overUnder + " is not 0, 1 or 2");
        };
        long sample = longOf(c.getOrDefault("sample", "10"), "sample");
        if (sample < 1) {
            throw new Skip("sample " + sample + " is not a positive number of minutes");
        }
        boolean median = "median".equals(c.get("baseline"));
        StringBuilder b = new StringBuilder(512);
        b.append("  - id: ").append(id).append('\n');
        b.append("    name: ").append(quote(name)).append('\n');
        if (c.get("group_id") != null) {
            b.append("    group: ").append(quote("tattle-group-" + c.get("group_id").strip())).append('\n');
        }
        b.append("    labels: {tattle_check_id: ").append(quote(checkId)).append("}\n");
        b.append("    enabled: ").append(!"0".equals(strip(c.get("enabled")))).append('\n');
        b.append("    visibility: ").append("1".equals(strip(c.get("visibility"))) ? "private" : "public").append('\n');
        b.append("    query:\n      target: ").append(quote(target)).append('\n');
        b.append("      window: ").append(sample).append("m\n");
        if (predictive) {
            // Tattle reads the raw target over each period's window and reduces it to its average or median
            String regression = strip(c.getOrDefault("regression_type", "weekly"));
            if (!List.of("daily", "weekly", "monthly").contains(regression)) {
                throw new Skip("regression_type " + regression + " is not daily, weekly or monthly");
            }
            long periods = longOf(c.getOrDefault("number_of_regressions", "4"), "number_of_regressions");
            if (periods < 2 || periods > 15) {
                throw new Skip("number_of_regressions " + periods + " (Tally needs 2 to 15 for a deviation)");
            }
            b.append("    type: predictive\n");
            b.append("    baseline: {period: ").append(regression).append(", periods: ").append(periods)
                    .append(", stat: ").append(median ? "median" : "average").append("}\n");
            b.append("    reduce: ").append(median ? "median" : "avg").append('\n');
        } else {
            b.append("      smoothing: ").append(sample == 1 ? "none" : median ? "movingMedian" : "movingAverage")
                    .append('\n');
            b.append("    reduce: ").append(median ? "median" : "last").append('\n');
        }
        b.append("    condition: {direction: ").append(direction).append(", warn: ")
                .append(decimal(required(c, "warn"), "warn")).append(", crit: ")
                .append(decimal(required(c, "error"), "error")).append(", inclusive: true}\n");
        String repeat = strip(c.get("repeat_delay"));
        if (repeat != null && !repeat.isEmpty() && longOf(repeat, "repeat_delay") >= 1) {
            b.append("    repeat: ").append(longOf(repeat, "repeat_delay")).append("m\n");
        }
        String active = active(c);
        if (active != null) {
            b.append("    active: [").append(active).append("]\n");
        }
        if (o.webhookRef() != null) {
            List<String> notify = new ArrayList<>();
            for (Map<String, String> s : subs) {
                if (!checkId.equals(strip(s.get("check_id")))) {
                    continue;
                }
                // Tattle's "Alert State": 1 = Error only, 2 = Warning (and worse); enforced here, ignored by Tattle
                String states = "1".equals(strip(s.get("threshold"))) ? "[critical]" : "[warning, critical]";
                notify.add("{ref: " + quote(o.webhookRef()) + ", states: " + states + ", enabled: "
                        + "0".equals(strip(s.getOrDefault("status", "0"))) + "}");
            }
            if (!notify.isEmpty()) {
                b.append("    notify: [").append(String.join(", ", notify)).append("]\n");
            }
        }
        return b.toString();
    }

    /** Tattle's Period: {@code hour_start}/{@code hour_end} ("H:M") and {@code day_start}/{@code day_end}. */
    private static String active(Map<String, String> c) {
        String hs = strip(c.get("hour_start"));
        String he = strip(c.get("hour_end"));
        String ds = strip(c.get("day_start"));
        String de = strip(c.get("day_end"));
        boolean hours = hs != null && !hs.isEmpty() && he != null && !he.isEmpty();
        boolean days = ds != null && !ds.isEmpty() && de != null && !de.isEmpty();
        if (!hours && !days) {
            return null;
        }
        StringBuilder b = new StringBuilder("{");
        if (days) {
            b.append("days: ").append(ds.toLowerCase(Locale.ROOT)).append('-').append(de.toLowerCase(Locale.ROOT));
        }
        if (hours) {
            b.append(days ? ", " : "").append("from: \"").append(hhmm(hs)).append("\", to: \"").append(hhmm(he))
                    .append('"');
        }
        return b.append('}').toString();
    }

    private static String hhmm(String v) {
        int colon = v.indexOf(':');
        try {
            int h = Integer.parseInt(colon < 0 ? v : v.substring(0, colon));
            int m = colon < 0 ? 0 : Integer.parseInt(v.substring(colon + 1, Math.min(v.length(), colon + 3)));
            return String.format(Locale.ROOT, "%02d:%02d", h, m);
        } catch (NumberFormatException e) {
            throw new Skip("bad time of day '" + v + "' in the Period");
        }
    }

    private static String required(Map<String, String> c, String field) {
        String v = c.get(field);
        if (v == null || v.isBlank()) {
            throw new Skip("no " + field);
        }
        return v;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static long longOf(String v, String field) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new Skip(field + " '" + v + "' is not a whole number");
        }
    }

    private static String decimal(String v, String field) {
        try {
            return new BigDecimal(v.strip()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            throw new Skip(field + " '" + v + "' is not a number");
        }
    }

    /** A Tally id from a Tattle name: lower case, runs of other characters become '-', at most 64 characters. */
    static String slug(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length() && b.length() < 64; i++) {
            char c = Character.toLowerCase(name.charAt(i));
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
            if (ok) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        while (b.length() > 0 && (b.charAt(b.length() - 1) == '-' || b.charAt(b.length() - 1) == '.')) {
            b.setLength(b.length() - 1);
        }
        String s = b.toString();
        if (s.isEmpty() || s.equals("self") || s.equals("region") || s.equals("api")
                || !Character.isLetterOrDigit(s.charAt(0))) {
            s = "tattle-" + s;
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** A single-quoted YAML scalar; control characters are refused (the parser would reject them anyway). */
    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                throw new Skip("a control character in '" + s.replace('\n', ' ') + "'");
            }
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> out = new ArrayList<>();
            List<String> rec = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                any = true;
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        f.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    rec.add(f.toString());
                    f.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    rec.add(f.toString());
                    f.setLength(0);
                    out.add(rec);
                    rec = new ArrayList<>();
                    any = false;
                } else {
                    f.append(c);
                }
            }
            if (any) {
                rec.add(f.toString());
                out.add(rec);
            }
            return out;
        }
    }
}
