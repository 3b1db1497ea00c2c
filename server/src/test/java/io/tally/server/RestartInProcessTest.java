package io.tally.server;

import com.codahale.metrics.graphite.Graphite;
import com.codahale.metrics.graphite.GraphiteSender;
import com.codahale.metrics.graphite.GraphiteUDP;
import com.codahale.metrics.graphite.PickledGraphite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real engine, receivers and HTTP server started, stopped and started again in one JVM on the same fixed ports
 * and data directory (TallyServerTest covers the lifecycle with fakes): every listener binds again, and what was
 * written before the stop is read back after it.
 */
class RestartInProcessTest {
    @TempDir
    Path dir;

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A port free for both TCP and UDP on loopback right now (carbon.port serves both). */
    private static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return udp.getLocalPort();
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    private static void send(GraphiteSender sender, String name, double value, long ts) throws IOException {
        try (sender) {
            sender.connect();
            sender.send(name, Double.toString(value), ts);
            sender.flush();
        }
    }

    @Test
    void startStopStartOnTheSameFixedPortsKeepsDataAndRebindsEveryListener() throws Exception {
        int http = freeTcpPort();
        int carbon = freeTcpAndUdpPort();
        int pickle = freeTcpPort();
        String[] settings = {"http.port", String.valueOf(http), "carbon.port", String.valueOf(carbon),
                "pickle.port", String.valueOf(pickle)};
        Path data = dir.resolve("data");
        long ts = System.currentTimeMillis() / 1000 - 120;

        try (EmbeddedTally first = EmbeddedTally.start(data, settings)) {
            assertThat(first.server().receiverPorts()).containsExactly(Map.entry("plaintext_tcp", carbon),
                    Map.entry("plaintext_udp", carbon), Map.entry("pickle_tcp", pickle));
            send(new Graphite("127.0.0.1", carbon), "itest.restart.before", 1, ts);
            Await.until("the point sent before the stop", () -> first.http().latest("itest.restart.*"),
                    m -> m.containsKey("itest.restart.before"));
        }

        try (EmbeddedTally second = EmbeddedTally.start(data, settings)) {
            assertThat(second.http().port()).isEqualTo(http);
            assertThat(second.http().latest("itest.restart.before")).containsEntry("itest.restart.before", 1.0);
            send(new Graphite("127.0.0.1", carbon), "itest.restart.tcp", 2, ts);
            send(new GraphiteUDP("127.0.0.1", carbon), "itest.restart.udp", 3, ts);
            send(new PickledGraphite("127.0.0.1", pickle), "itest.restart.pickle", 4, ts);
            Map<String, Double> got = Await.until("points over all three listeners after the restart",
                    () -> second.http().latest("itest.restart.*"), m -> m.size() == 4);
            assertThat(got).containsOnly(Map.entry("itest.restart.before", 1.0), Map.entry("itest.restart.tcp", 2.0),
                    Map.entry("itest.restart.udp", 3.0), Map.entry("itest.restart.pickle", 4.0));
        }
    }
}
