package io.tally.query.expr;

import java.util.List;

/**
 * The syntax tree of one target expression (spec §3.2). Pipes are desugared by the parser: {@code a|f(x)} is the
 * call {@code f(a, x)}. Every node knows its 0-based offset in the target text, for error messages.
 */
public sealed interface Expr {

    /** 0-based offset of the node's first character in the target text. */
    int pos();

    /** A metric path or glob, escapes already resolved ({@code a\,b} is the path {@code a,b}). */
    record Path(String text, int pos) implements Expr {
    }

    /**
     * A function call.
     *
     * @param raw the call's own text as written (graphite uses it as the path expression of {@code seriesByTag})
     */
    record Call(String name, List<Expr> args, List<Kwarg> kwargs, int pos, String raw) implements Expr {
        public Call {
            args = List.copyOf(args);
            kwargs = List.copyOf(kwargs);
        }
    }

    /** {@code name=value} after the positional arguments of a call. */
    record Kwarg(String name, Expr value, int pos) {
    }

    /**
     * A number literal: {@code value} is a {@link Long} for an integer literal that fits, else a {@link Double}
     * (floats, exponents, {@code inf}, huge integers).
     */
    record Num(Number value, int pos) implements Expr {
    }

    /** A quoted string; {@code value} is the text between the quotes with backslash escapes kept as written. */
    record Str(String value, int pos) implements Expr {
    }

    record Bool(boolean value, int pos) implements Expr {
    }

    /** {@code None}. */
    record NoneLit(int pos) implements Expr {
    }

    /**
     * {@code template(inner, args...)}: {@code $name} / {@code $1} in the inner paths are replaced by the literal
     * arguments (numbers or strings) or by the request's {@code template[name]} parameters.
     */
    record Template(Expr inner, List<Expr> args, List<Kwarg> kwargs, int pos) implements Expr {
        public Template {
            args = List.copyOf(args);
            kwargs = List.copyOf(kwargs);
        }
    }
}
