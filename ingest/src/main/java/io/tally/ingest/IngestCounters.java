package io.tally.ingest;

import io.tally.engine.util.MetricsRegistry;

import java.util.concurrent.atomic.LongAdder;

/**
 * The self-metrics of one receiver protocol, looked up once: {@code ingest.<protocol>.points}, {@code .bytes},
 * {@code .connections}, {@code .bad_lines.<reason>} and friends.
 */
final class IngestCounters {
    final String protocol;
    final LongAdder points;
    final LongAdder bytes;
    final LongAdder connections;
    final LongAdder connectionsRejected;
    final LongAdder idleClosed;
    final LongAdder nanDropped;
    final LongAdder paused;
    private final MetricsRegistry registry;

    IngestCounters(MetricsRegistry registry, String protocol) {
        this.registry = registry;
        this.protocol = protocol;
        this.points = counter("points");
        this.bytes = counter("bytes");
        this.connections = counter("connections");
        this.connectionsRejected = counter("connections_rejected");
        this.idleClosed = counter("idle_closed");
        this.nanDropped = counter("nan_dropped");
        this.paused = counter("paused");
    }

    LongAdder counter(String suffix) {
        return registry.counter("ingest." + protocol + "." + suffix);
    }
}
