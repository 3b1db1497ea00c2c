package io.tally.query.functions.alias;

/** graphite's {@code format_units}: a value scaled to an SI (K, M, G, T, P) or binary (Ki ... Pi) prefix. */
final class Units {
    private static final String[] SI = {"P", "T", "G", "M", "K"};
    private static final String[] BINARY = {"Pi", "Ti", "Gi", "Mi", "Ki"};

    record Scaled(double value, String prefix) {
    }

    private Units() {
    }

    static Scaled format(double v, String system, String units) {
        String[] prefixes = "binary".equals(system) ? BINARY : "si".equals(system) ? SI : new String[0];
        double base = "binary".equals(system) ? 1024.0 : 1000.0;
        for (int i = 0; i < prefixes.length; i++) {
            double size = Math.pow(base, prefixes.length - i);
            if (Math.abs(v) >= size) {
                double v2 = v / size;
                if (v2 - Math.floor(v2) < 0.00000000001 && v > 1) {
                    v2 = Math.floor(v2);
                }
                return new Scaled(v2, units != null ? prefixes[i] + units : prefixes[i]);
            }
        }
        if (v - Math.floor(v) < 0.00000000001 && v > 1) {
            v = Math.floor(v);
        }
        return new Scaled(v, units != null ? units : "");
    }
}
