package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the generator end to end against a fake Graphite server: a plaintext receiver that counts points per
 * name and a render endpoint that answers the probe's two kinds of target from those counts.
 */
class LoadGeneratorTest {

    private final Map<String, AtomicLong> pointsByName = new ConcurrentHashMap<>();
    private final List<Thread> readers = new ArrayList<>();
    /** Render requests still to answer with 503, as a server too busy to query would. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    /** When set, render answers as if nothing had arrived. */
    private volatile boolean hideEverything;
    private ServerSocket plaintext;
    private HttpServer http;
    private Thread acceptor;

    @BeforeEach
    void start() throws IOException {
        plaintext = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().start(this::acceptLoop);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/render", this::render);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop(0);
        plaintext.close();
        acceptor.join();
        for (Thread reader : readers) {
            reader.join();
        }
    }

    private void acceptLoop() {
        while (true) {
            try {
                Socket socket = plaintext.accept();
                Thread reader = Thread.ofPlatform().start(() -> readLines(socket));
                synchronized (readers) {
                    readers.add(reader);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void readLines(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                pointsByName.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new AtomicLong()).incrementAndGet();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code target=<name>} gives one series with one datapoint per point received; sumSeries(isNonNull(p)) the total for p's depth. */
    private void render(HttpExchange exchange) throws IOException {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        if (hideEverything) {
            byte[] empty = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, empty.length);
            try (var out = exchange.getResponseBody()) {
                out.write(empty);
            }
            return;
        }
        StringBuilder json = new StringBuilder("[");
        for (String param : exchange.getRequestURI().getRawQuery().split("&")) {
            if (!param.startsWith("target=")) {
                continue;
            }
            String target = URLDecoder.decode(param.substring(7), StandardCharsets.UTF_8);
            long points;
            if (target.startsWith("sumSeries(isNonNull(")) {
                int depth = target.split("\\.").length;
                points = pointsByName.entrySet().stream()
                        .filter(e -> e.getKey().split("\\.").length == depth)
                        .mapToLong(e -> e.getValue().get()).sum();
                json.append(json.length() > 1 ? "," : "").append("{\"target\":\"sum\",\"datapoints\":[[").append(points).append(",1]]}");
            } else {
                AtomicLong n = pointsByName.get(target);
                points = n == null ? 0 : n.get();
                json.append(json.length() > 1 ? "," : "").append("{\"target\":\"").append(target).append("\",\"datapoints\":[");
                for (long i = 0; i < points; i++) {
                    json.append(i > 0 ? "," : "").append("[1.0,").append(i).append(']');
                }
                json.append("]}");
            }
        }
        byte[] body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void sendsEveryPointAndWaitsUntilAllAreQueryable() throws Exception {
        LoadOptions options = LoadOptions.parse(List.of(
                "--port", Integer.toString(plaintext.getLocalPort()),
                "--series", "700", "--points-per-series", "6", "--connections", "2",
                "--verify-url", "http://127.0.0.1:" + http.getAddress().getPort(),
                "--sample", "10", "--verify-timeout", "60", "--label", "fake"), 1_700_000_000L);
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int status = new LoadGenerator(options, new PrintStream(report, true, StandardCharsets.UTF_8)).run();

        String text = report.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(pointsByName).hasSize(700);
        assertThat(pointsByName.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(6));
        assertThat(text).contains("RESULT target=fake series=700 points_per_series=6 connections=2 total_points=4200")
                .contains("last_count=4200")
                .containsPattern("queryable_pps=[0-9]+ confirm_poll_start_s=[0-9.]+ scope=full");
    }

    private LoadOptions options(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--port", Integer.toString(plaintext.getLocalPort()),
                "--series", "120", "--points-per-series", "3",
                "--verify-url", "http://127.0.0.1:" + http.getAddress().getPort(), "--sample", "5"));
        args.addAll(List.of(extra));
        return LoadOptions.parse(args, 1_700_000_000L);
    }

    @Test
    void failingPollsAreRetried() throws Exception {
        failuresLeft.set(3);
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int status = new LoadGenerator(options("--verify-timeout", "60"), new PrintStream(report, true, StandardCharsets.UTF_8)).run();

        String text = report.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("failed at").contains("last_count=360");
    }

    @Test
    void pointsThatNeverBecomeQueryableEndInATimeout() throws Exception {
        hideEverything = true;
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int status = new LoadGenerator(options("--verify-timeout", "1"), new PrintStream(report, true, StandardCharsets.UTF_8)).run();

        assertThat(status).isEqualTo(2);
        assertThat(report.toString(StandardCharsets.UTF_8)).contains("TIMED OUT").contains("queryable_s=timeout");
    }

    @Test
    void printLinesShowsTheFirstLinesAndSendsNothing() throws Exception {
        LoadOptions options = LoadOptions.parse(List.of("--series", "100", "--points-per-series", "2",
                "--print-lines", "3", "--start", "1700000000"), 1_700_000_000L);
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int status = new LoadGenerator(options, new PrintStream(report, true, StandardCharsets.UTF_8)).run();

        assertThat(status).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("app0.us-east.host000.os.cpu.user ")
                .contains(" 1700000000\n")
                .doesNotContain("RESULT");
        assertThat(pointsByName).isEmpty();
    }
}
