package io.tally.engine.api;

/** A query asked for more than a configured limit allows; the message names the setting that raises it. */
public final class LimitExceededException extends RuntimeException {
    private final String setting;
    private final long limit;

    public LimitExceededException(String what, long limit, String setting) {
        super(what + " exceeds the limit of " + limit + " (raise it with " + setting + ")");
        this.setting = setting;
        this.limit = limit;
    }

    public String setting() {
        return setting;
    }

    public long limit() {
        return limit;
    }
}
