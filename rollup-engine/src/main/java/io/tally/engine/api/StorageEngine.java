package io.tally.engine.api;

import java.io.IOException;

/**
 * A storage engine as the server wires it: the ingest seam, the read API, and lifecycle. {@link #close} stops
 * accepting, applies and syncs everything already accepted, writes a checkpoint and releases files.
 */
public interface StorageEngine extends IngestSink, StorageReader, AutoCloseable {

    /** Forces the write-ahead log to disk now (normally done every sync interval). */
    void sync() throws IOException;

    /** Bytes accepted but not yet applied by the writer threads (storage lag, for self-metrics and health). */
    long backlogBytes();

    @Override
    void close() throws IOException;
}
