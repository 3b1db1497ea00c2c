package io.tally.ingest;

/**
 * Parses ASCII byte ranges exactly like Python's {@code float()} (after {@code strip()}): {@code 12}, {@code -3.5},
 * {@code 1e3}, {@code .5}, {@code 5.}, {@code 1_000}, {@code inf}, {@code -Infinity}, {@code nan} (case-insensitive).
 * Results are correctly rounded.
 *
 * <p>Fast path (no allocation): at most 19 significant digits forming a mantissa below 2^53 and a decimal exponent
 * within ±22 — then one IEEE multiplication or division of two exact doubles is correctly rounded (Clinger). This
 * covers nearly all metric values and timestamps. Everything else (long mantissas, big exponents, underscores,
 * inf/nan) is validated against Python's grammar and, for numbers, handed to {@link Double#parseDouble} through a
 * reusable char scratch. Not thread-safe; one instance per parser.
 */
final class PythonFloat {
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT = 1L << 53;

    private char[] scratch = new char[64];
    private double value;

    /** The value of the last successful {@link #parse}. */
    double value() {
        return value;
    }

    /** Sets the value directly (for numbers that arrive already binary). */
    void set(double v) {
        value = v;
    }

    /** Parses {@code b[from, to)}; false if Python's float() would raise. */
    boolean parse(byte[] b, int from, int to) {
        int p = from;
        if (p >= to) {
            return false;
        }
        boolean neg = false;
        if (b[p] == '-' || b[p] == '+') {
            neg = b[p] == '-';
            p++;
        }
        long m = 0;
        int sig = 0; // significant digits taken into m
        int scale = 0; // decimal exponent adjustment from the fraction
        boolean digits = false;
        while (p < to) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            digits = true;
            if (m != 0 || d != 0) {
                if (++sig > 19) {
                    return slow(b, from, to);
                }
                m = m * 10 + d;
            }
            p++;
        }
        if (p < to && b[p] == '.') {
            p++;
            while (p < to) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                digits = true;
                scale--;
                if (m != 0 || d != 0) {
                    if (++sig > 19) {
                        return slow(b, from, to);
                    }
                    m = m * 10 + d;
                }
                p++;
            }
        }
        if (!digits) {
            return slow(b, from, to);
        }
        int exp = 0;
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean eneg = false;
            if (p < to && (b[p] == '-' || b[p] == '+')) {
                eneg = b[p] == '-';
                p++;
            }
            int start = p;
            while (p < to) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (exp > 100_000) {
                    return slow(b, from, to);
                }
                exp = exp * 10 + d;
                p++;
            }
            if (p == start) {
                return slow(b, from, to);
            }
            if (eneg) {
                exp = -exp;
            }
        }
        if (p != to) {
            return slow(b, from, to); // underscores, letters: let the grammar decide
        }
        double v;
        if (m == 0) {
            v = 0.0;
        } else {
            int e = exp + scale;
            if (m > MAX_EXACT || e > 22 || e < -22) {
                return slow(b, from, to);
            }
            v = e >= 0 ? (double) m * POW10[e] : (double) m / POW10[-e];
        }
        value = neg ? -v : v;
        return true;
    }

    /** Python's grammar with underscores, inf and nan; numbers go through Double.parseDouble. */
    private boolean slow(byte[] b, int from, int to) {
        int p = from;
        boolean neg = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        if (p < to && isLetter(b[p])) {
            if (matchesIgnoreCase(b, p, to, "inf") || matchesIgnoreCase(b, p, to, "infinity")) {
                value = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return true;
            }
            if (matchesIgnoreCase(b, p, to, "nan")) {
                value = Double.NaN;
                return true;
            }
            return false;
        }
        int n = 0;
        ensure(to - from + 16);
        char[] s = scratch;
        if (neg) {
            s[n++] = '-';
        }
        int start = n;
        int q0 = digitPart(b, p, to, s, n);
        boolean any = q0 >= 0;
        if (any) {
            p = q0;
            n = filled;
        }
        if (p < to && b[p] == '.') {
            s[n++] = '.';
            p++;
            int q = digitPart(b, p, to, s, n);
            if (q >= 0) {
                p = q;
                n = filled;
                any = true;
            }
        }
        if (!any || n == start) {
            return false;
        }
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean eneg = false;
            if (p < to && (b[p] == '-' || b[p] == '+')) {
                eneg = b[p] == '-';
                p++;
            }
            int digitsAt = n + 2; // room for "e-" before the copied digits
            int q = digitPart(b, p, to, s, digitsAt);
            if (q < 0) {
                return false;
            }
            p = q;
            // saturate absurd exponents: the mantissa has at most a line's worth of digits
            int k = digitsAt;
            while (k < filled - 1 && s[k] == '0') {
                k++;
            }
            s[n++] = 'e';
            if (eneg) {
                s[n++] = '-';
            }
            if (filled - k > 9) {
                for (int i = 0; i < 9; i++) {
                    s[n++] = '9';
                }
            } else {
                System.arraycopy(s, k, s, n, filled - k);
                n += filled - k;
            }
        }
        if (p != to) {
            return false;
        }
        try {
            value = Double.parseDouble(new String(s, 0, n));
            return true;
        } catch (NumberFormatException e) {
            return false; // not reached: the grammar was checked above
        }
    }

    private int filled;

    /**
     * Copies {@code digit (['_'] digit)*} from {@code b[p..]} into {@code s[n..]}; returns the position after it
     * (and sets {@link #filled}), or {@code -(stop)-1} when no well-formed digit part starts at {@code p}.
     */
    private int digitPart(byte[] b, int p, int to, char[] s, int n) {
        if (p >= to || !isDigit(b[p])) {
            return -p - 1;
        }
        while (p < to) {
            byte c = b[p];
            if (isDigit(c)) {
                s[n++] = (char) c;
                p++;
            } else if (c == '_' && p + 1 < to && isDigit(b[p + 1])) {
                p++;
            } else {
                break;
            }
        }
        filled = n;
        return p;
    }

    private void ensure(int n) {
        if (scratch.length < n) {
            scratch = new char[Math.max(n, scratch.length * 2)];
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(byte c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private static boolean matchesIgnoreCase(byte[] b, int p, int to, String word) {
        if (to - p != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if ((b[p + i] | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
