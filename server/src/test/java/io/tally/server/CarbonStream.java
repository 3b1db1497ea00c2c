package io.tally.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.NavigableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: streams numbered points to a carbon plaintext port over one TCP connection, one chunk every
 * {@code period} on a timer thread, and counts the chunks whose write returned (the kernel took every byte).
 *
 * <p>Chunk {@code c} holds one point per series: {@code <prefix>.s<k> <c * SERIES + k> <base + c>}, so every
 * stored point can be checked for its exact value. Once a write fails (the server was killed) the stream stops.
 */
final class CarbonStream implements AutoCloseable {
    static final int SERIES = 16;

    private final String prefix;
    private final long base;
    private final Socket socket;
    private final OutputStream out;
    private final ScheduledExecutorService timer;
    private final AtomicInteger written = new AtomicInteger();
    private volatile boolean failed;

    private CarbonStream(String prefix, long base, Socket socket) throws IOException {
        this.prefix = prefix;
        this.base = base;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "itest-carbon-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects and starts streaming at once, one chunk every {@code periodMillis}. */
    static CarbonStream start(InetSocketAddress carbon, String prefix, long base, long periodMillis)
            throws IOException {
        Socket s = new Socket(carbon.getAddress(), carbon.getPort());
        s.setTcpNoDelay(true);
        CarbonStream stream = new CarbonStream(prefix, base, s);
        stream.timer.scheduleAtFixedRate(stream::writeChunk, 0, periodMillis, TimeUnit.MILLISECONDS);
        return stream;
    }

    /** Writes chunks {@code [0, chunks)} at once, without the timer (for tests that need no streaming). */
    static CarbonStream sendAll(InetSocketAddress carbon, String prefix, long base, int chunks) throws IOException {
        Socket s = new Socket(carbon.getAddress(), carbon.getPort());
        CarbonStream stream = new CarbonStream(prefix, base, s);
        for (int c = 0; c < chunks; c++) {
            stream.out.write(stream.chunk(c));
            stream.written.incrementAndGet();
        }
        stream.out.flush();
        return stream;
    }

    private void writeChunk() {
        if (failed) {
            return;
        }
        try {
            out.write(chunk(written.get()));
            out.flush();
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    private byte[] chunk(int c) {
        StringBuilder b = new StringBuilder(SERIES * 48);
        for (int k = 0; k < SERIES; k++) {
            b.append(name(k)).append(' ').append(value(c, k)).append(' ').append(ts(c)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Chunks whose write has returned. */
    int written() {
        return written.get();
    }

    Socket socket() {
        return socket;
    }

    String prefix() {
        return prefix;
    }

    String name(int series) {
        return String.format("%s.s%02d", prefix, series);
    }

    long ts(int chunk) {
        return base + chunk;
    }

    static long value(int chunk, int series) {
        return (long) chunk * SERIES + series;
    }

    /**
     * Checks the points a server holds for this stream's series (as rendered, name to timestamp to value):
     * every chunk below {@code required} must be there with its value; later chunks may be missing but must not be
     * wrong; nothing else may be there. Returns the problems found, empty when all is well.
     */
    List<String> check(Map<String, TallyHttp.Series> rendered, int required) {
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < SERIES; k++) {
            TallyHttp.Series s = rendered.get(name(k));
            if (s == null) {
                problems.add(name(k) + ": missing entirely");
                continue;
            }
            NavigableMap<Long, Double> points = s.points();
            int missing = 0;
            int firstMissing = -1;
            for (int c = 0; c < required; c++) {
                Double v = points.get(ts(c));
                if (v == null) {
                    missing++;
                    if (firstMissing < 0) {
                        firstMissing = c;
                    }
                }
            }
            if (missing > 0) {
                problems.add(name(k) + ": " + missing + " of the " + required + " required points missing, first "
                        + "chunk " + firstMissing);
            }
            for (Map.Entry<Long, Double> p : points.entrySet()) {
                long c = p.getKey() - base;
                if (c < 0 || c >= Integer.MAX_VALUE || p.getValue() != value((int) c, k)) {
                    problems.add(name(k) + ": unexpected point " + p.getValue() + " at " + p.getKey());
                }
            }
        }
        return problems;
    }

    @Override
    public void close() {
        failed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // the server may be gone already
        }
    }
}
