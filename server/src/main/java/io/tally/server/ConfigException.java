package io.tally.server;

/** A configuration problem, with a one-line message that names the key and says what is expected. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
