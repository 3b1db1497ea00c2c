package io.tally.server;

/**
 * A network receiver the server starts and stops (the ingest module's Netty servers, adapted). {@link #start} binds
 * and returns once listening (a taken port throws, with a {@link java.net.BindException} somewhere in the cause
 * chain); {@link #stop} stops accepting, closes connections after handing over what was read, and returns when the
 * port is released. Both are called from one thread; stop may be called without a successful start.
 */
public interface Receiver {
    void start() throws Exception;

    void stop();

    /** Adapts any pair of start/stop methods, e.g. {@code Receiver.of(server::start, server::close)}. */
    static Receiver of(Starter start, Runnable stop) {
        return new Receiver() {
            @Override
            public void start() throws Exception {
                start.start();
            }

            @Override
            public void stop() {
                stop.run();
            }
        };
    }

    /** A start action that may throw. */
    @FunctionalInterface
    interface Starter {
        void start() throws Exception;
    }
}
