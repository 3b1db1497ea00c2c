package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SenderTest {

    private static String concat(ByteBuffer[] steps) {
        StringBuilder all = new StringBuilder();
        for (ByteBuffer step : steps) {
            all.append(Workload.text(step));
        }
        return all.toString();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1e9})
    void everyConnectionDeliversItsStepsInOrder(double rateLimit) throws Exception {
        Workload w = new Workload(600, 7, 10, 1_700_000_000L, 3, Workload.Shape.REALISTIC, 3);
        ByteBuffer[][] chunks = w.encode();
        long[] lines = new long[3];
        for (int c = 0; c < 3; c++) {
            lines[c] = w.seriesOf(c).length;
        }
        try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<String>> received = new ArrayList<>();
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        Socket socket = server.accept();
                        received.add(pool.submit(() -> readAll(socket)));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Sender.Result result = new Sender(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()),
                    chunks, lines, rateLimit).send();
            accepted.join();
            Set<String> got = new HashSet<>();
            for (Future<String> f : received) {
                got.add(f.get());
            }
            Set<String> sent = new HashSet<>();
            long bytes = 0;
            for (ByteBuffer[] connection : chunks) {
                sent.add(concat(connection));
                for (ByteBuffer step : connection) {
                    bytes += step.remaining();
                }
            }
            assertThat(got).isEqualTo(sent);
            assertThat(result.bytes()).isEqualTo(bytes);
            assertThat(result.endNanos()).isGreaterThanOrEqualTo(result.startNanos());
        }
    }

    private static String readAll(Socket socket) throws IOException {
        try (socket; InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
