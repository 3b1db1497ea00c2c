package io.tally.bench.load;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@link LoadGenerator}, parsed from {@code --name value} or {@code --name=value} pairs.
 * Defaults give the reference workload: 100 000 series x 100 points, step 10 s, two connections.
 */
record LoadOptions(
        String host,
        int port,
        int series,
        int points,
        int connections,
        int step,
        long start,
        long seed,
        Workload.Shape shape,
        double rateLimit,
        String verifyUrl,
        String verifyApi,
        String verifyWhisper,
        String verifyScope,
        int sampleSize,
        int verifyTimeoutSeconds,
        int printLines,
        String label,
        String namePrefix) {

    static final String USAGE = """
            Usage: LoadGenerator [options]
              --host H                 plaintext receiver host (127.0.0.1)
              --port P                 plaintext receiver port (2003)
              --series N               number of series (100000)
              --points-per-series N    points per series (100)
              --connections N          TCP connections (2)
              --step S                 seconds between points (10)
              --start EPOCH            first timestamp (now - points*step, aligned down to step)
              --seed N                 random seed (42)
              --shape realistic|noise  value shape (realistic)
              --rate-limit PPS         total points/s cap (none)
              --verify-url URL         poll this server until every point is queryable
              --verify-api graphite|prometheus   API under --verify-url (graphite)
              --verify-whisper DIR     instead of a URL: count points in carbon's whisper files under DIR
              --verify-scope full|sample   wait for every point, or only for the sample series (full)
              --sample N               series in the sample (50)
              --verify-timeout S       give up verifying after S seconds from the end of sending (300)
              --print-lines N          print the first N lines of connection 0, step 0, and exit (0)
              --label TEXT             name of the target in the report (the host:port)
              --name-prefix P          put P. before every series name, e.g. for a warm-up run whose series
                                       the verification patterns (app*...) do not match (none)
            """;

    private static final Set<String> NAMES = Set.of("host", "port", "series", "points-per-series", "connections",
            "step", "start", "seed", "shape", "rate-limit", "verify-url", "verify-api", "verify-whisper",
            "verify-scope", "sample", "verify-timeout", "print-lines", "label", "name-prefix");

    static LoadOptions parse(List<String> args, long nowEpochSeconds) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value\n" + USAGE);
            }
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
            }
            values.put(name, value);
        }
        int points = positive(values, "points-per-series", 100);
        int step = positive(values, "step", 10);
        long defaultStart = nowEpochSeconds - (long) points * step;
        defaultStart -= Math.floorMod(defaultStart, step);
        String host = values.getOrDefault("host", "127.0.0.1");
        int port = positive(values, "port", 2003);
        String api = values.getOrDefault("verify-api", "graphite");
        if (!api.equals("graphite") && !api.equals("prometheus")) {
            throw new IllegalArgumentException("--verify-api must be graphite or prometheus: " + api);
        }
        String scope = values.getOrDefault("verify-scope", "full");
        if (!scope.equals("full") && !scope.equals("sample")) {
            throw new IllegalArgumentException("--verify-scope must be full or sample: " + scope);
        }
        if (values.containsKey("verify-url") && values.containsKey("verify-whisper")) {
            throw new IllegalArgumentException("give --verify-url or --verify-whisper, not both");
        }
        return new LoadOptions(
                host,
                port,
                positive(values, "series", 100_000),
                points,
                positive(values, "connections", 2),
                step,
                number(values, "start", defaultStart),
                number(values, "seed", 42),
                Workload.Shape.valueOf(values.getOrDefault("shape", "realistic").toUpperCase(Locale.ROOT)),
                Double.parseDouble(values.getOrDefault("rate-limit", "0")),
                values.get("verify-url"),
                api,
                values.get("verify-whisper"),
                scope,
                positive(values, "sample", 50),
                positive(values, "verify-timeout", 300),
                (int) number(values, "print-lines", 0),
                values.getOrDefault("label", host + ":" + port),
                namePrefix(values.getOrDefault("name-prefix", "")));
    }

    private static String namePrefix(String p) {
        if (!p.matches("[A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("--name-prefix must be one name node (letters, digits, _ and -): " + p);
        }
        return p;
    }

    boolean verifying() {
        return verifyUrl != null || verifyWhisper != null;
    }

    private static long number(Map<String, String> values, String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: '" + v + "'", e);
        }
    }

    private static int positive(Map<String, String> values, String name, int fallback) {
        long v = number(values, name, fallback);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " must be a positive integer: " + v);
        }
        return (int) v;
    }
}
