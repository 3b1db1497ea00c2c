package io.tally.query;

/**
 * A finished response body: the first {@code length} bytes of {@code bytes} with their content type. The array is
 * owned by the body once built and never written again, so a body may be cached and sent many times.
 */
public record Body(String contentType, byte[] bytes, int length) {
    public static Body of(String contentType, JsonWriter w) {
        return new Body(contentType, w.array(), w.length());
    }
}
