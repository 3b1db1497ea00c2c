package io.tally.query;

/** Bad input from the client: answered with HTTP 400 and the (HTML-escaped) message as the body. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
