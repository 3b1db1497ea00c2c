package io.tally.server;

/** The server could not start; the message is one line for the operator (e.g. {@code http.port 8080 is in use}). */
public final class StartupException extends Exception {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
