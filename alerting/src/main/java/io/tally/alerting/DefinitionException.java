package io.tally.alerting;

/** A definition that cannot be accepted; the message names the source (file or {@code api}) and the field. */
public final class DefinitionException extends RuntimeException {
    private final String source;
    private final String field;
    private final String problem;

    public DefinitionException(String source, String field, String problem) {
        super(source + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
        this.source = source;
        this.field = field;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** The dotted path of the offending field, e.g. {@code alerts[2].condition.warn}; empty for the whole document. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
