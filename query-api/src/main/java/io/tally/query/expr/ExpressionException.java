package io.tally.query.expr;

/**
 * A target expression the server cannot evaluate because of its text: a syntax error, an unknown function, a wrong
 * argument count or type, or an argument value a function rejects. The HTTP layer answers it with 400. The message
 * starts with the 1-based column of the offending text when it is known ({@code col 14: expected ')' ...}).
 */
public final class ExpressionException extends RuntimeException {
    private final int column;

    /**
     * @param position 0-based offset into the target text, or -1 when no position applies
     */
    public ExpressionException(int position, String message) {
        super(position >= 0 ? "col " + (position + 1) + ": " + message : message, null, false, false);
        this.column = position >= 0 ? position + 1 : -1;
    }

    public ExpressionException(String message) {
        this(-1, message);
    }

    /** 1-based column of the error in the target text, or -1. */
    public int column() {
        return column;
    }
}
