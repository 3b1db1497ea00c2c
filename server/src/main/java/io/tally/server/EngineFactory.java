package io.tally.server;

import io.tally.engine.api.StorageEngine;
import io.tally.engine.util.MetricsRegistry;

import java.io.IOException;

/** Opens the storage engine for a configuration (recovering what is on disk). {@link Main#openEngine} is the one. */
@FunctionalInterface
public interface EngineFactory {
    StorageEngine open(ServerConfig cfg, MetricsRegistry metrics) throws IOException;
}
