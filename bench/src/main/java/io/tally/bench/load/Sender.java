package io.tally.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends pre-encoded plaintext over N TCP connections as fast as possible (or paced), step by step.
 *
 * <p>Ordering: a {@link Phaser} joins the connections after every step, so every byte of step {@code t} has been
 * handed to the kernel on every connection before any byte of step {@code t + 1} is written: all series' point
 * {@code t} is sent before any series' point {@code t + 1}, like a fleet of reporters flushing every interval.
 *
 * <p>Timing: the clock starts when all connections are open and the first write begins, and stops when the last
 * connection has written its last byte and shut down its output. Bytes still in socket buffers at that moment
 * are not yet received by the server; with payloads far larger than the buffers the difference is small, and
 * the queryable rate (measured to the moment the server answers with every point) does not depend on it.
 *
 * <p>Threading: one platform thread per connection; buffers are read through duplicates, so the encoded chunks
 * can be sent again.
 */
final class Sender {

    /** Bytes written between pacing checks when a rate limit is set. */
    private static final int PACE_SLICE = 64 * 1024;

    /** What one send run measured. */
    record Result(long startEpochMillis, long startNanos, long endNanos, long bytes) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final InetSocketAddress target;
    private final ByteBuffer[][] chunks;
    private final long[] linesPerChunk;
    private final double pointsPerSecond;

    /**
     * @param chunks          {@code [connection][step]} as made by {@link Workload#encode()}
     * @param linesPerChunk   lines in each chunk of a connection (same for every step), per connection
     * @param pointsPerSecond total rate limit over all connections; 0 or less for none
     */
    Sender(InetSocketAddress target, ByteBuffer[][] chunks, long[] linesPerChunk, double pointsPerSecond) {
        this.target = target;
        this.chunks = chunks;
        this.linesPerChunk = linesPerChunk.clone();
        this.pointsPerSecond = pointsPerSecond;
    }

    Result send() throws IOException, InterruptedException {
        int connections = chunks.length;
        List<SocketChannel> channels = new ArrayList<>(connections);
        try {
            for (int c = 0; c < connections; c++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                ch.connect(target);
                channels.add(ch);
            }
            Phaser stepBarrier = new Phaser(connections);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(connections);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] bytes = new long[connections];
            long[] startNanos = new long[1];
            List<Thread> threads = new ArrayList<>(connections);
            for (int c = 0; c < connections; c++) {
                final int conn = c;
                Thread t = Thread.ofPlatform().name("load-conn-" + c).unstarted(() -> {
                    try {
                        go.await();
                        bytes[conn] = sendConnection(conn, channels.get(conn), stepBarrier, startNanos[0]);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        stepBarrier.forceTermination();
                    } finally {
                        done.countDown();
                    }
                });
                threads.add(t);
                t.start();
            }
            long startEpochMillis = System.currentTimeMillis();
            startNanos[0] = System.nanoTime();
            go.countDown();
            done.await();
            long endNanos = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IOException("sending failed: " + failure.get(), failure.get());
            }
            long total = 0;
            for (long b : bytes) {
                total += b;
            }
            return new Result(startEpochMillis, startNanos[0], endNanos, total);
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
        }
    }

    private long sendConnection(int conn, SocketChannel ch, Phaser stepBarrier, long startNanos)
            throws IOException {
        double perConnectionRate = pointsPerSecond > 0 ? pointsPerSecond / chunks.length : 0;
        long sent = 0;
        long linesBefore = 0;
        for (ByteBuffer chunk : chunks[conn]) {
            ByteBuffer buf = chunk.duplicate();
            int size = buf.remaining();
            if (perConnectionRate <= 0) {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } else {
                int end = buf.limit();
                while (buf.position() < end) {
                    buf.limit(Math.min(end, buf.position() + PACE_SLICE));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    double linesDone = linesBefore + (double) linesPerChunk[conn] * (buf.position() - chunk.position()) / size;
                    pace(startNanos, linesDone / perConnectionRate);
                }
            }
            sent += size;
            linesBefore += linesPerChunk[conn];
            if (stepBarrier.arriveAndAwaitAdvance() < 0) {
                throw new IOException("another connection failed");
            }
        }
        ch.shutdownOutput();
        return sent;
    }

    private static void pace(long startNanos, double dueSeconds) {
        long due = startNanos + (long) (dueSeconds * 1e9);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
