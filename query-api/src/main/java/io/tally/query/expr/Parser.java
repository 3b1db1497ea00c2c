package io.tally.query.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for graphite's target grammar (spec §3.2), producing {@link Expr} trees.
 *
 * <p>Grammar (graphite-web's pyparsing grammar, with whitespace allowed between tokens but not inside a path):
 * <pre>
 * target     := expression end
 * expression := (template | call | path) ( ' '* '|' ' '* call )*
 * call       := ident '(' [ arg (',' arg)* ] [ kwarg (',' kwarg)* ] ')'
 * kwarg      := ident '=' arg
 * arg        := boolean | number | none | string | inf | expression
 * number     := -?\d+ ( '.' \d+ )? ( [eE] -?\d+ )?     -- only when followed by ',' or ')' or the end
 * string     := '...' | "..."  (backslash escapes any character; a doubled quote is kept; value = raw inner text)
 * path       := element ( '.' element )*
 * element    := ( char | '\' symbol | '{' alt (',' alt)* '}' )+
 * template   := 'template(' (call | path) [ ',' literal args | ',' literal kwargs ] ')'
 * </pre>
 * Deviations, all lenient: brace groups may nest and may have empty alternatives ({@code x{,-old}}, as the glob
 * matcher accepts them), path characters include any non-ASCII character, and {@code true/false/none/inf} are
 * keywords only when an argument ends after them ({@code none.x} is a path). Stricter than graphite-web: trailing
 * text after a complete target is an error (graphite-web silently ignores it and renders the prefix).
 *
 * <p>Not thread-safe; one instance per parse (use {@link #parse}).
 */
public final class Parser {
    /** Characters that end a path element unless escaped. */
    private static final String SYMBOLS = "(){},.'\"\\|";

    private final String s;
    private int p;

    private Parser(String s) {
        this.s = s;
    }

    /** Parses one target. @throws ExpressionException with the column of the first error */
    public static Expr parse(String target) {
        Parser parser = new Parser(target);
        parser.skipWs();
        if (parser.p >= target.length()) {
            throw new ExpressionException(parser.p, "empty target");
        }
        Expr e = parser.expression();
        parser.skipWs();
        if (parser.p < target.length()) {
            throw parser.error("unexpected " + parser.found() + " after the end of the expression");
        }
        return e;
    }

    /** Parses a path expression or call text found inside a series name; null when it does not parse. */
    static Expr tryParse(String text) {
        try {
            return parse(text);
        } catch (ExpressionException e) {
            return null;
        }
    }

    // ---- expressions ----

    private Expr expression() {
        int start = p;
        Expr e;
        if (lookingAtTemplate()) {
            e = template();
        } else {
            e = callOrPath();
        }
        while (true) {
            int save = p;
            while (p < s.length() && s.charAt(p) == ' ') {
                p++;
            }
            if (p < s.length() && s.charAt(p) == '|') {
                p++;
                while (p < s.length() && s.charAt(p) == ' ') {
                    p++;
                }
                int callStart = p;
                Expr c = callOrPath();
                if (!(c instanceof Expr.Call call)) {
                    throw new ExpressionException(callStart, "expected a function call after '|'");
                }
                List<Expr> args = new ArrayList<>(call.args().size() + 1);
                args.add(e);
                args.addAll(call.args());
                e = new Expr.Call(call.name(), args, call.kwargs(), call.pos(), call.raw());
            } else {
                p = save;
                break;
            }
        }
        if (p == start) {
            throw error("expected a metric path or a function call, found " + found());
        }
        return e;
    }

    private boolean lookingAtTemplate() {
        if (!s.startsWith("template", p)) {
            return false;
        }
        int q = p + "template".length();
        while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
            q++;
        }
        return q < s.length() && s.charAt(q) == '(';
    }

    private Expr template() {
        int start = p;
        p += "template".length();
        skipWs();
        expect('(');
        skipWs();
        Expr inner = callOrPath();
        List<Expr> args = new ArrayList<>();
        List<Expr.Kwarg> kwargs = new ArrayList<>();
        skipWs();
        while (p < s.length() && s.charAt(p) == ',') {
            p++;
            skipWs();
            int argStart = p;
            String kw = kwargName();
            Expr value;
            if (kw != null) {
                value = literal();
                kwargs.add(new Expr.Kwarg(kw, value, argStart));
            } else {
                if (!kwargs.isEmpty()) {
                    throw error("template() takes either positional or keyword values, not both");
                }
                args.add(literal());
            }
            skipWs();
        }
        if (!args.isEmpty() && !kwargs.isEmpty()) {
            throw new ExpressionException(start, "template() takes either positional or keyword values, not both");
        }
        expect(')');
        return new Expr.Template(inner, args, kwargs, start);
    }

    /** A number or string, as template() values must be. */
    private Expr literal() {
        skipWs();
        int start = p;
        if (p < s.length() && (s.charAt(p) == '\'' || s.charAt(p) == '"')) {
            return string();
        }
        Expr n = number();
        if (n == null) {
            p = start;
            throw error("invalid template() syntax: values must be numbers or quoted strings, found " + found());
        }
        return n;
    }

    private Expr callOrPath() {
        int start = p;
        int identEnd = identEnd(p);
        if (identEnd > p) {
            int q = identEnd;
            while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
                q++;
            }
            if (q < s.length() && s.charAt(q) == '(') {
                String name = s.substring(p, identEnd);
                p = q + 1;
                return callRest(name, start);
            }
        }
        return path();
    }

    private Expr.Call callRest(String name, int start) {
        List<Expr> args = new ArrayList<>();
        List<Expr.Kwarg> kwargs = new ArrayList<>();
        skipWs();
        if (p < s.length() && s.charAt(p) == ')') {
            p++;
            return new Expr.Call(name, args, kwargs, start, s.substring(start, p));
        }
        while (true) {
            skipWs();
            int argStart = p;
            String kw = kwargName();
            if (kw != null) {
                kwargs.add(new Expr.Kwarg(kw, arg(), argStart));
            } else {
                if (!kwargs.isEmpty()) {
                    throw error("positional argument after keyword arguments in " + name + "()");
                }
                args.add(arg());
            }
            skipWs();
            if (p >= s.length()) {
                throw error("expected ',' or ')' to continue the arguments of " + name + "(), found end of input");
            }
            char c = s.charAt(p);
            if (c == ',') {
                p++;
            } else if (c == ')') {
                p++;
                return new Expr.Call(name, args, kwargs, start, s.substring(start, p));
            } else {
                throw error("expected ',' or ')' after an argument of " + name + "(), found " + found());
            }
        }
    }

    /** If the text at p is {@code ident =} (a keyword argument), consumes it and returns the name; else null. */
    private String kwargName() {
        int end = identEnd(p);
        if (end == p) {
            return null;
        }
        int q = end;
        while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
            q++;
        }
        if (q < s.length() && s.charAt(q) == '=') {
            String name = s.substring(p, end);
            p = q + 1;
            return name;
        }
        return null;
    }

    private Expr arg() {
        skipWs();
        if (p >= s.length()) {
            throw error("expected an argument, found end of input");
        }
        char c = s.charAt(p);
        if (c == '\'' || c == '"') {
            return string();
        }
        int start = p;
        if (c == '-' || isDigit(c)) {
            Expr n = number();
            if (n != null) {
                return n;
            }
            p = start;
        }
        int end = identEnd(p);
        if (end > p && argEndsAt(end)) {
            String word = s.substring(p, end).toLowerCase(java.util.Locale.ROOT);
            Expr kw = switch (word) {
                case "true" -> new Expr.Bool(true, start);
                case "false" -> new Expr.Bool(false, start);
                case "none" -> new Expr.NoneLit(start);
                case "inf" -> new Expr.Num(Double.POSITIVE_INFINITY, start);
                default -> null;
            };
            if (kw != null) {
                p = end;
                return kw;
            }
        }
        return expression();
    }

    /** True when only whitespace lies between {@code q} and a ',' or ')' or the end. */
    private boolean argEndsAt(int q) {
        while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
            q++;
        }
        return q >= s.length() || s.charAt(q) == ',' || s.charAt(q) == ')';
    }

    /** A number at p if one is there and an argument ends after it; else null with p unchanged. */
    private Expr number() {
        int start = p;
        int q = p;
        if (q < s.length() && s.charAt(q) == '-') {
            q++;
        }
        int digits = q;
        while (q < s.length() && isDigit(s.charAt(q))) {
            q++;
        }
        if (q == digits) {
            return null;
        }
        boolean isFloat = false;
        if (q + 1 < s.length() && s.charAt(q) == '.' && isDigit(s.charAt(q + 1))) {
            q++;
            while (q < s.length() && isDigit(s.charAt(q))) {
                q++;
            }
            isFloat = true;
        }
        if (q < s.length() && (s.charAt(q) == 'e' || s.charAt(q) == 'E')) {
            int e = q + 1;
            if (e < s.length() && s.charAt(e) == '-') {
                e++;
            }
            int expDigits = e;
            while (e < s.length() && isDigit(s.charAt(e))) {
                e++;
            }
            if (e > expDigits) {
                q = e;
                isFloat = true;
            }
        }
        if (!argEndsAt(q)) {
            return null;
        }
        String text = s.substring(start, q);
        p = q;
        if (!isFloat) {
            try {
                return new Expr.Num(Long.parseLong(text), start);
            } catch (NumberFormatException e) {
                return new Expr.Num(Double.parseDouble(text), start);
            }
        }
        return new Expr.Num(Double.parseDouble(text), start);
    }

    private Expr string() {
        int start = p;
        char quote = s.charAt(p++);
        int contentStart = p;
        while (true) {
            if (p >= s.length()) {
                throw new ExpressionException(start, "unterminated string: missing closing " + quote);
            }
            char c = s.charAt(p);
            if (c == '\\') {
                if (p + 1 >= s.length()) {
                    throw new ExpressionException(start, "unterminated string: missing closing " + quote);
                }
                p += 2;
            } else if (c == quote) {
                if (p + 1 < s.length() && s.charAt(p + 1) == quote) {
                    p += 2; // pyparsing's quotedString keeps a doubled quote inside the string
                } else {
                    String value = s.substring(contentStart, p);
                    p++;
                    return new Expr.Str(value, start);
                }
            } else if (c == '\n' || c == '\r') {
                throw new ExpressionException(start, "unterminated string: missing closing " + quote);
            } else {
                p++;
            }
        }
    }

    private Expr path() {
        int start = p;
        StringBuilder out = new StringBuilder(32);
        while (true) {
            int elementStart = p;
            element(out, false);
            if (p == elementStart) {
                if (p == start) {
                    throw error("expected a metric path, a function call or a value, found " + found());
                }
                throw error("expected a path element after '.', found " + found());
            }
            if (p < s.length() && s.charAt(p) == '.') {
                out.append('.');
                p++;
            } else {
                return new Expr.Path(out.toString(), start);
            }
        }
    }

    /** Appends one path element (or one brace alternative when {@code inBraces}) to out. */
    private void element(StringBuilder out, boolean inBraces) {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '\\') {
                if (p + 1 < s.length() && (SYMBOLS.indexOf(s.charAt(p + 1)) >= 0 || s.charAt(p + 1) == '=')) {
                    out.append(s.charAt(p + 1));
                    p += 2;
                    continue;
                }
                throw error("a backslash in a path must escape one of ( ) { } , . ' \" \\ | =");
            }
            if (c == '{') {
                int open = p;
                out.append('{');
                p++;
                while (true) {
                    element(out, true);
                    if (p >= s.length()) {
                        throw new ExpressionException(open, "unterminated '{' in a path");
                    }
                    char d = s.charAt(p);
                    if (d == ',') {
                        out.append(',');
                        p++;
                    } else if (d == '}') {
                        out.append('}');
                        p++;
                        break;
                    } else {
                        throw error("expected ',' or '}' in a path alternative, found " + found());
                    }
                }
                continue;
            }
            if (!isPathChar(c)) {
                return;
            }
            out.append(c);
            p++;
        }
    }

    static boolean isPathChar(char c) {
        return c > ' ' && c != 0x7f && SYMBOLS.indexOf(c) < 0 && !Character.isWhitespace(c);
    }

    // ---- tokens ----

    private int identEnd(int from) {
        if (from >= s.length()) {
            return from;
        }
        char c = s.charAt(from);
        if (!(isAsciiLetter(c) || c == '_')) {
            return from;
        }
        int q = from + 1;
        while (q < s.length() && (isAsciiLetter(s.charAt(q)) || isDigit(s.charAt(q)) || s.charAt(q) == '_')) {
            q++;
        }
        return q;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWs() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private void expect(char c) {
        if (p >= s.length() || s.charAt(p) != c) {
            throw error("expected '" + c + "', found " + found());
        }
        p++;
    }

    private String found() {
        if (p >= s.length()) {
            return "end of input";
        }
        return "'" + s.charAt(p) + "'";
    }

    private ExpressionException error(String message) {
        return new ExpressionException(p, message);
    }
}
