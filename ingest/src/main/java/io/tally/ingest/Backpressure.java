package io.tally.ingest;

import io.netty.channel.Channel;
import io.tally.engine.api.IngestSink;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pauses a channel's reading when the sink asks for it and resumes it, on the channel's event loop, when the sink
 * calls back. The event loop never blocks; while paused, TCP's own flow control slows the client down. One
 * instance per channel, used on its event loop only (the callback hops back onto it).
 */
final class Backpressure {
    private final Channel channel;
    private final IngestSink sink;
    private final LongAdder pausedCounter;
    private boolean paused;

    Backpressure(Channel channel, IngestSink sink, LongAdder pausedCounter) {
        this.channel = channel;
        this.sink = sink;
        this.pausedCounter = pausedCounter;
    }

    /** Called after a parse or flush with the writer's pause request: pauses if the sink was full. */
    void check(boolean pauseRequested) {
        if (pauseRequested && !paused) {
            paused = true;
            pausedCounter.increment();
            channel.config().setAutoRead(false);
            sink.whenWritable(this::resumeLater);
        }
    }

    private void resumeLater() {
        try {
            channel.eventLoop().execute(this::resume);
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down: nothing to resume
        }
    }

    private void resume() {
        paused = false;
        if (channel.isOpen()) {
            channel.config().setAutoRead(true); // also issues a read
        }
    }
}
