package io.tally.engine.index;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code seriesByTag} expression: {@code tag=value}, {@code tag!=value}, {@code tag=~regex} or
 * {@code tag!=~regex}, as graphite-web parses it ({@code ^([^;!=]+)(!?=~?)([^;]*)$}).
 *
 * <p>Semantics (graphite-web's tag database): a series lacking the tag is judged as if its value were the empty
 * string. So {@code tag=} means "tag absent", {@code tag!=} "tag present", {@code tag!=x} also matches series
 * without the tag, and a regex that matches the empty string also matches series without the tag. Regexes follow
 * Python's {@code re.match}: anchored at the start only ({@code =~web} matches {@code web01}; add {@code $} for a
 * full match), case-sensitive. Python-only syntax is translated: {@code (?P<n>...)} to {@code (?<n>...)},
 * {@code (?P=n)} to {@code \k<n>}, {@code \Z} to {@code \z}, and {@code [} and {@code &} inside a character class
 * are escaped (Java reads them as class union and intersection). Immutable and thread-safe (a {@link Matcher} is made
 * per use).
 */
public final class TagExpression {

    /** The four operators. */
    public enum Operator {
        EQ("="), NE("!="), MATCH("=~"), NOT_MATCH("!=~");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final String tag;
    private final Operator operator;
    private final String value;
    private final Pattern regex; // MATCH / NOT_MATCH only
    private final boolean matchesEmpty;

    private TagExpression(String tag, Operator operator, String value, Pattern regex) {
        this.tag = tag;
        this.operator = operator;
        this.value = value;
        this.regex = regex;
        this.matchesEmpty = test("");
    }

    /**
     * Parses one expression.
     *
     * @throws IllegalArgumentException when the syntax is wrong or the regex does not compile; the message quotes
     *     the expression and says what is expected
     */
    public static TagExpression parse(String expr) {
        if (expr == null) {
            throw new IllegalArgumentException("tag expression is missing: expected tag=value, tag!=value, "
                    + "tag=~regex or tag!=~regex");
        }
        int i = 0;
        while (i < expr.length() && expr.charAt(i) != '!' && expr.charAt(i) != '=' && expr.charAt(i) != ';') {
            i++;
        }
        if (i == 0 || i == expr.length() || expr.charAt(i) == ';') {
            throw syntax(expr);
        }
        String tag = expr.substring(0, i);
        Operator op;
        if (expr.startsWith("!=~", i)) {
            op = Operator.NOT_MATCH;
        } else if (expr.startsWith("!=", i)) {
            op = Operator.NE;
        } else if (expr.startsWith("=~", i)) {
            op = Operator.MATCH;
        } else if (expr.charAt(i) == '=') {
            op = Operator.EQ;
        } else {
            throw syntax(expr);
        }
        String value = expr.substring(i + op.text.length());
        if (value.indexOf(';') >= 0) {
            throw new IllegalArgumentException("invalid tag expression '" + expr + "': the value may not contain ';'");
        }
        Pattern regex = null;
        if (op == Operator.MATCH || op == Operator.NOT_MATCH) {
            try {
                regex = Pattern.compile(translatePythonRegex(value));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression in tag expression '" + expr + "': "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }
        return new TagExpression(tag, op, value, regex);
    }

    private static IllegalArgumentException syntax(String expr) {
        return new IllegalArgumentException("invalid tag expression '" + expr + "': expected tag=value, tag!=value, "
                + "tag=~regex or tag!=~regex (tag names may not contain ';', '!' or '=')");
    }

    /** Rewrites the few Python regex forms Java spells differently. */
    static String translatePythonRegex(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                char n = re.charAt(i + 1);
                out.append(c).append(!inClass && n == 'Z' ? 'z' : n);
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                    out.append(c);
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c); // literal in Python; union/intersection syntax in Java
                } else {
                    out.append(c);
                }
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                // a ']' right after '[' or '[^' is literal in both dialects
                if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
                    out.append(']');
                    i++;
                }
            } else if (c == '(' && re.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
            } else if (c == '(' && re.startsWith("(?P=", i)) {
                int close = re.indexOf(')', i);
                if (close < 0) {
                    out.append(c);
                } else {
                    out.append("\\k<").append(re, i + 4, close).append('>');
                    i = close;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public String tag() {
        return tag;
    }

    public Operator operator() {
        return operator;
    }

    /** The text after the operator: the exact value or the regex source. */
    public String value() {
        return value;
    }

    /** True when a series without the tag (value "") satisfies the expression. */
    public boolean matchesEmpty() {
        return matchesEmpty;
    }

    /** True for {@code =~} and {@code !=~}. */
    public boolean isRegex() {
        return regex != null;
    }

    /** Applies the expression to a tag value; pass "" for a series that lacks the tag. */
    public boolean test(CharSequence tagValue) {
        return switch (operator) {
            case EQ -> value.contentEquals(tagValue);
            case NE -> !value.contentEquals(tagValue);
            case MATCH -> regex.matcher(tagValue).lookingAt();
            case NOT_MATCH -> !regex.matcher(tagValue).lookingAt();
        };
    }

    /** A new matcher of the (start-anchored) regex; only for {@link #isRegex()} expressions. */
    Matcher newMatcher() {
        return regex.matcher("");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagExpression t && t.tag.equals(tag) && t.operator == operator && t.value.equals(value);
    }

    @Override
    public int hashCode() {
        return (tag.hashCode() * 31 + operator.hashCode()) * 31 + value.hashCode();
    }

    /** The expression in its wire form, e.g. {@code dc=~us-.*}. */
    @Override
    public String toString() {
        return tag + operator.text + value;
    }
}
