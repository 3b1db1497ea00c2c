package io.tally.server;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A network receiver the server starts and stops (the ingest module's Netty servers, adapted). {@link #start} binds
 * and returns once listening (a taken port throws, with a {@link java.net.BindException} somewhere in the cause
 * chain); {@link #stop} stops accepting, closes connections after handing over what was read, and returns when the
 * port is released. Both are called from one thread; stop may be called without a successful start.
 */
public interface Receiver {
    void start() throws Exception;

    void stop();

    /**
     * The ports this receiver is bound to while running, by protocol (e.g. {@code plaintext_tcp -> 2003}); this is
     * how the real ports are found when a port is configured as 0. Empty when not running or not known.
     */
    default Map<String, Integer> boundPorts() {
        return Map.of();
    }

    /** Adapts any pair of start/stop methods, e.g. {@code Receiver.of(server::start, server::close)}. */
    static Receiver of(Starter start, Runnable stop) {
        return of(start, stop, Map::of);
    }

    /** Like {@link #of(Starter, Runnable)}, with the bound ports read from {@code ports}. */
    static Receiver of(Starter start, Runnable stop, Supplier<Map<String, Integer>> ports) {
        return new Receiver() {
            @Override
            public void start() throws Exception {
                start.start();
            }

            @Override
            public void stop() {
                stop.run();
            }

            @Override
            public Map<String, Integer> boundPorts() {
                return ports.get();
            }
        };
    }

    /** A start action that may throw. */
    @FunctionalInterface
    interface Starter {
        void start() throws Exception;
    }
}
