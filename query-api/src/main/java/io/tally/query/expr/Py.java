package io.tally.query.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Python's text forms of values, as graphite-web prints them into series names and tags: {@code repr(float)}
 * ({@code 7.0}, {@code 1e+16}, {@code 1e-05}), {@code '%g'} ({@code 2.5}, {@code 1e+06}, {@code -50}), {@code str()}
 * of function arguments ({@code True}, {@code None}, {@code 200}) and truthiness. Not on hot paths.
 */
public final class Py {
    private Py() {
    }

    /** Python {@code repr(float)}: the shortest round-trip digits, exponent form outside {@code [1e-4, 1e16)}. */
    public static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0.0" : "-0.0";
        }
        // Java 19+ Double.toString yields the shortest round-trip digits, as Python's repr does.
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        StringBuilder out = new StringBuilder(24);
        if (v < 0) {
            out.append('-');
        }
        if (exp < -4 || exp >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            appendExponent(out, exp);
        } else if (exp < 0) {
            out.append("0.");
            out.append("0".repeat(-exp - 1));
            out.append(digits);
        } else if (exp + 1 >= digits.length()) {
            out.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
        } else {
            out.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return out.toString();
    }

    /** Python {@code '%g' % v}: 6 significant digits, trailing zeros dropped, exponent below 1e-4 or from 1e6. */
    public static String g(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        BigDecimal stripped = rounded.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - stripped.scale();
        StringBuilder out = new StringBuilder(16);
        if (v < 0) {
            out.append('-');
        }
        if (exp < -4 || exp >= 6) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            appendExponent(out, exp);
        } else {
            out.append(stripped.abs().toPlainString());
        }
        return out.toString();
    }

    private static void appendExponent(StringBuilder out, int exp) {
        out.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
            out.append('0');
        }
        out.append(a);
    }

    /** Python {@code str()} of an evaluated argument value. */
    public static String str(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return repr(d);
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        return v.toString();
    }

    /** {@code '%d' % v} for a number (truncates towards zero). */
    public static String d(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Py.repr(v);
        }
        return new BigDecimal(v).setScale(0, RoundingMode.DOWN).toPlainString();
    }

    /** Python truthiness of an evaluated argument value. */
    public static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return true;
    }

    /**
     * Python's {@code fmt % args} for the conversions names use: {@code d i f F e E g G s r %}, with flags
     * {@code - + 0 space}, width and precision.
     *
     * @throws IllegalArgumentException for an unsupported directive or too few arguments
     */
    public static String format(String fmt, Object... args) {
        StringBuilder out = new StringBuilder(fmt.length() + 16);
        int a = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= fmt.length()) {
                throw new IllegalArgumentException("incomplete format: '" + fmt + "'");
            }
            if (fmt.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            boolean left = false;
            boolean plus = false;
            boolean zero = false;
            boolean space = false;
            while (i < fmt.length() && "-+0 #".indexOf(fmt.charAt(i)) >= 0) {
                switch (fmt.charAt(i)) {
                    case '-' -> left = true;
                    case '+' -> plus = true;
                    case '0' -> zero = true;
                    case ' ' -> space = true;
                    default -> { }
                }
                i++;
            }
            int width = 0;
            while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                width = width * 10 + (fmt.charAt(i) - '0');
                i++;
            }
            int precision = -1;
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    precision = precision * 10 + (fmt.charAt(i) - '0');
                    i++;
                }
            }
            if (i >= fmt.length()) {
                throw new IllegalArgumentException("incomplete format: '" + fmt + "'");
            }
            char conv = fmt.charAt(i++);
            if (a >= args.length) {
                throw new IllegalArgumentException("not enough arguments for format string '" + fmt + "'");
            }
            Object v = args[a++];
            String body = switch (conv) {
                case 's', 'r' -> {
                    String t = str(v);
                    yield precision >= 0 && precision < t.length() ? t.substring(0, precision) : t;
                }
                case 'd', 'i', 'u' -> d(number(v, fmt));
                case 'f', 'F' -> fixed(number(v, fmt), precision < 0 ? 6 : precision);
                case 'e', 'E' -> {
                    String t = exponent(number(v, fmt), precision < 0 ? 6 : precision);
                    yield conv == 'E' ? t.toUpperCase(java.util.Locale.ROOT) : t;
                }
                case 'g', 'G' -> {
                    String t = general(number(v, fmt), precision < 0 ? 6 : Math.max(1, precision));
                    yield conv == 'G' ? t.toUpperCase(java.util.Locale.ROOT) : t;
                }
                default -> throw new IllegalArgumentException("unsupported format character '" + conv + "'");
            };
            boolean numeric = conv != 's' && conv != 'r';
            if (numeric && !body.startsWith("-") && (plus || space)) {
                body = (plus ? "+" : " ") + body;
            }
            if (body.length() < width) {
                int pad = width - body.length();
                if (left) {
                    body = body + " ".repeat(pad);
                } else if (zero && numeric) {
                    int signLen = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
                    body = body.substring(0, signLen) + "0".repeat(pad) + body.substring(signLen);
                } else {
                    body = " ".repeat(pad) + body;
                }
            }
            out.append(body);
        }
        return out.toString();
    }

    private static double number(Object v, String fmt) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalArgumentException("a number is required for format '" + fmt + "', got " + str(v));
    }

    /** {@code '%.<p>f' % v}. */
    public static String fixed(double v, int precision) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return repr(v);
        }
        String t = new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0)) {
            if (!t.startsWith("-")) {
                t = "-" + t;
            }
        }
        return t;
    }

    private static String exponent(double v, int precision) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return repr(v);
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) != 0 ? "-" : "") + "0" + (precision > 0 ? "."
                    + "0".repeat(precision) : "")
                    + "e+00";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - r.scale();
        if (digits.length() < precision + 1) {
            digits = digits + "0".repeat(precision + 1 - digits.length());
        }
        StringBuilder out = new StringBuilder();
        if (v < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (precision > 0) {
            out.append('.').append(digits, 1, precision + 1);
        }
        appendExponent(out, exp);
        return out.toString();
    }

    private static String general(double v, int precision) {
        if (precision == 6) {
            return g(v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return repr(v);
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        BigDecimal stripped = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN))
                .stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - stripped.scale();
        StringBuilder out = new StringBuilder();
        if (v < 0) {
            out.append('-');
        }
        if (exp < -4 || exp >= precision) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            appendExponent(out, exp);
        } else {
            out.append(stripped.abs().toPlainString());
        }
        return out.toString();
    }
}
