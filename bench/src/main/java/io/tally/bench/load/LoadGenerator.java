package io.tally.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end ingest load: sends a realistic Graphite plaintext workload over loopback TCP and measures how fast the
 * server makes it queryable.
 *
 * <p>Phases: (1) generate every line into per-connection, per-step direct buffers (not timed); (2) check that the
 * target holds none of these points yet; (3) send all steps in time order over N connections as
 * fast as possible (or paced by {@code --rate-limit}); (4) poll the server until every point is queryable: the
 * cheap sample first, then the exact count over all series, waiting between polls at least as long as the last
 * poll took so that polling never takes more than half of a core.
 *
 * <p>Reported: points/s sent (first byte to last byte handed to the kernel) and points/s queryable (first byte to
 * the end of the poll that saw every point; that poll's duration, {@code last_poll_s}, bounds how much earlier the
 * points may have been complete). Every poll is logged with its start, duration and count. The last line, {@code RESULT key=value ...}, is for scripts.
 * Exit status: 0 done, 2 verification timed out, 1 bad usage or I/O failure.
 *
 * <p>Run: {@code java -Xmx1g -XX:MaxDirectMemorySize=3g -cp <classes> io.tally.bench.load.LoadGenerator --help}.
 */
public final class LoadGenerator {

    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoadOptions options;
    private final PrintStream out;

    LoadGenerator(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(List.of(args), System.currentTimeMillis() / 1000);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        try {
            System.exit(new LoadGenerator(options, System.out).run());
        } catch (IOException | RuntimeException e) {
            System.err.println("load generator failed: " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** Runs every phase; returns the exit status. */
    int run() throws IOException, InterruptedException {
        Workload workload = new Workload(options.series(), options.points(), options.step(), options.start(),
                options.seed(), options.shape(), options.connections(), options.namePrefix());
        out.println("workload: " + workload);
        long genStart = System.nanoTime();
        ByteBuffer[][] chunks = workload.encode();
        long bytes = Arrays.stream(chunks).flatMap(Arrays::stream).mapToLong(ByteBuffer::remaining).sum();
        out.printf(Locale.ROOT, "generated %d lines, %d bytes (%.1f bytes/line) in %.1f s (not timed)%n",
                workload.totalPoints(), bytes, (double) bytes / workload.totalPoints(), seconds(System.nanoTime() - genStart));
        if (options.printLines() > 0) {
            Workload.text(chunks[0][0]).lines().limit(options.printLines()).forEach(out::println);
            return 0;
        }

        QueryableProbe probe = probe(workload);
        if (probe != null) {
            out.println("verify: " + probe.describe());
            try {
                long already = probe.countAll();
                if (already > 0) {
                    out.println("warning: the target already holds " + already + " of these points; use a fresh data directory");
                }
            } catch (IOException e) {
                out.println("warning: the probe does not answer before sending (" + e.getMessage() + "); polling anyway");
            }
        }

        long[] linesPerChunk = new long[workload.connections()];
        for (int c = 0; c < linesPerChunk.length; c++) {
            linesPerChunk[c] = workload.seriesOf(c).length;
        }
        out.printf(Locale.ROOT, "sending to %s:%d over %d connections%s%n", options.host(), options.port(),
                options.connections(), options.rateLimit() > 0 ? " at most " + (long) options.rateLimit() + " points/s" : "");
        long cpuBefore = processCpuNanos();
        Sender.Result sent = new Sender(new InetSocketAddress(options.host(), options.port()), chunks, linesPerChunk,
                options.rateLimit()).send();
        double sendCpu = seconds(processCpuNanos() - cpuBefore);
        double sentPps = workload.totalPoints() / sent.seconds();
        out.printf(Locale.ROOT, "sent: %d points, %d bytes in %.2f s = %.0f points/s (%.1f MB/s); generator CPU %.2f s%n",
                workload.totalPoints(), sent.bytes(), sent.seconds(), sentPps, sent.bytes() / sent.seconds() / 1e6, sendCpu);

        StringBuilder result = new StringBuilder("RESULT")
                .append(" target=").append(options.label().replace(' ', '_'))
                .append(" series=").append(workload.seriesCount())
                .append(" points_per_series=").append(workload.points())
                .append(" connections=").append(workload.connections())
                .append(" total_points=").append(workload.totalPoints())
                .append(" bytes_sent=").append(sent.bytes())
                .append(" start_epoch_ms=").append(sent.startEpochMillis())
                .append(String.format(Locale.ROOT, " send_s=%.3f sent_pps=%.0f generator_cpu_s=%.2f",
                        sent.seconds(), sentPps, sendCpu));
        int status = 0;
        if (probe != null) {
            Verification v = verify(probe, workload, sent);
            result.append(String.format(Locale.ROOT, " sample_s=%.3f verify_polls=%d last_poll_s=%.3f last_count=%d",
                    v.sampleSeconds(), v.polls(), v.lastPollSeconds(), v.lastCount()));
            if (v.complete()) {
                double queryablePps = workload.totalPoints() / v.seconds();
                out.printf(Locale.ROOT, "queryable: %d points in %.2f s from the first byte = %.0f points/s (%s)%n",
                        workload.totalPoints(), v.seconds(), queryablePps, options.verifyScope());
                result.append(String.format(Locale.ROOT, " queryable_s=%.3f queryable_pps=%.0f confirm_poll_start_s=%.3f scope=%s",
                        v.seconds(), queryablePps, v.lastPollStartSeconds(), options.verifyScope()));
            } else {
                out.printf(Locale.ROOT, "queryable: TIMED OUT after %d s: %d of %d points%n",
                        options.verifyTimeoutSeconds(), v.lastCount(), workload.totalPoints());
                result.append(" queryable_s=timeout queryable_pps=0 scope=").append(options.verifyScope());
                status = 2;
            }
        }
        result.append(String.format(Locale.ROOT, " generator_total_cpu_s=%.2f", seconds(processCpuNanos())));
        out.println(result);
        return status;
    }

    private QueryableProbe probe(Workload workload) {
        int[] sample = workload.sample(options.sampleSize());
        if (options.verifyWhisper() != null) {
            return new WhisperProbe(Path.of(options.verifyWhisper()), workload, sample);
        }
        if (options.verifyUrl() == null) {
            return null;
        }
        HttpText http = new HttpText();
        return options.verifyApi().equals("prometheus")
                ? new PrometheusProbe(http, options.verifyUrl(), workload, sample)
                : new GraphiteRenderProbe(http, options.verifyUrl(), workload, sample);
    }

    /** Outcome of polling; times are seconds from the first byte sent, -1 when not reached. */
    record Verification(boolean complete, double seconds, double sampleSeconds, int polls, long lastCount,
            double lastPollSeconds) {

        /** When the confirming poll started: the points were complete no later than {@link #seconds()}. */
        double lastPollStartSeconds() {
            return seconds - lastPollSeconds;
        }
    }

    private Verification verify(QueryableProbe probe, Workload workload, Sender.Result sent)
            throws IOException, InterruptedException {
        long deadline = sent.endNanos() + TimeUnit.SECONDS.toNanos(options.verifyTimeoutSeconds());
        boolean sampleOnly = options.verifyScope().equals("sample");
        long sampleDone = -1;
        long lastCount = 0;
        int polls = 0;
        while (true) {
            long pollStart = System.nanoTime();
            boolean sampling = sampleDone < 0;
            polls++;
            try {
                lastCount = sampling ? probe.countSample() : probe.countAll();
            } catch (IOException e) {
                // A server busy ingesting may fail a query; that is no answer yet, not the end of the run.
                long failedAt = System.nanoTime();
                out.printf(Locale.ROOT, "verify: poll %d failed at %.2f s: %s%n", polls,
                        seconds(pollStart - sent.startNanos()), e.getMessage());
                if (failedAt >= deadline) {
                    return new Verification(false, -1, sampleDone < 0 ? -1 : seconds(sampleDone - sent.startNanos()),
                            polls, lastCount, seconds(failedAt - pollStart));
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(Math.max(MIN_POLL_NANOS, failedAt - pollStart), deadline - failedAt));
                continue;
            }
            long pollEnd = System.nanoTime();
            out.printf(Locale.ROOT, "verify: poll %d %s at %.2f s took %.2f s: %d of %d points%n", polls,
                    sampling ? "sample" : "all", seconds(pollStart - sent.startNanos()), seconds(pollEnd - pollStart),
                    lastCount, sampling ? probe.sampleExpected() : workload.totalPoints());
            if (sampling && lastCount >= probe.sampleExpected()) {
                sampleDone = pollEnd;
                if (sampleOnly) {
                    double s = seconds(sampleDone - sent.startNanos());
                    return new Verification(true, s, s, polls, lastCount, seconds(pollEnd - pollStart));
                }
                continue;
            }
            if (!sampling && lastCount >= workload.totalPoints()) {
                if (lastCount > workload.totalPoints()) {
                    out.println("warning: the target answers with " + lastCount + " points, more than were sent");
                }
                return new Verification(true, seconds(pollEnd - sent.startNanos()),
                        seconds(sampleDone - sent.startNanos()), polls, lastCount, seconds(pollEnd - pollStart));
            }
            if (pollEnd >= deadline) {
                return new Verification(false, -1, sampleDone < 0 ? -1 : seconds(sampleDone - sent.startNanos()),
                        polls, lastCount, seconds(pollEnd - pollStart));
            }
            long wait = Math.max(MIN_POLL_NANOS, pollEnd - pollStart);
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, deadline - pollEnd));
        }
    }

    /** CPU time of this whole process (all threads, including GC), 0 where the platform does not tell. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
