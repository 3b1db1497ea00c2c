package io.tally.server;

import io.tally.engine.api.IngestSink;
import io.tally.engine.util.MetricsRegistry;

import java.util.List;

/**
 * Creates the receivers for a configuration, writing into {@code sink}; disabled ones (port -1) are left out.
 * Started in list order, stopped in reverse. {@link Main#receivers} is the one.
 */
@FunctionalInterface
public interface ReceiverFactory {
    List<ReceiverBinding> create(ServerConfig cfg, IngestSink sink, MetricsRegistry metrics);
}
