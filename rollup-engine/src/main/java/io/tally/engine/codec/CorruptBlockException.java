package io.tally.engine.codec;

import java.io.IOException;

/**
 * A block could not be decoded: bad version, impossible field, truncated or trailing data.
 *
 * <p>Checked on purpose: a block comes from a segment file, and its callers already handle {@link IOException}
 * from reading that file; a bad block is one more way that file can be damaged. The file layer's CRC catches most
 * damage first; this is the codec's own guarantee that malformed input fails cleanly instead of with an
 * {@code ArrayIndexOutOfBoundsException}, an endless loop or a huge allocation.
 */
public final class CorruptBlockException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptBlockException(String message) {
        super(message);
    }

    public CorruptBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
