package io.tally.ingest;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CarbonReceiversTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PICKLE2 = "80025d7100285805000000612e622e6371014a00f15365473ff800000000000086710286710358"
            + "05000000612e622e6471044a00f153654b02867105867106652e";
    private static final String PICKLE0 = "286c70300a2856612e622e630a70310a2849313730303030303030300a46312e350a74703"
            + "20a7470330a612856612e622e640a70340a2849313730303030303030300a49320a7470350a7470360a612e";

    private final CollectingSink sink = new CollectingSink(1024);
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final List<CarbonReceivers> started = new ArrayList<>();

    private static ReceiverOptions local() {
        return ReceiverOptions.defaults().withBindHost("127.0.0.1").withPorts(0, 0, 0).withWorkerThreads(2);
    }

    private CarbonReceivers start(ReceiverOptions options) throws InterruptedException {
        CarbonReceivers r = new CarbonReceivers(options, sink, metrics, new ManualClock(1_700_000_500L));
        started.add(r);
        r.start();
        return r;
    }

    @AfterEach
    void stopAll() {
        started.forEach(CarbonReceivers::stop);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] frame(String hex) {
        byte[] payload = HexFormat.of().parseHex(hex);
        byte[] f = new byte[payload.length + 4];
        f[0] = (byte) (payload.length >>> 24);
        f[1] = (byte) (payload.length >>> 16);
        f[2] = (byte) (payload.length >>> 8);
        f[3] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 4, payload.length);
        return f;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tcpLinesSplitAcrossWritesWithCrlf(boolean nativeTransport) throws Exception {
        CarbonReceivers r = start(local().withNativeTransport(nativeTransport));
        try (Socket s = connect(r.plaintextTcpPort())) {
            OutputStream out = s.getOutputStream();
            write(out, "a.b 1 10");
            write(out, "0\r\nc.d 2");
            write(out, " 200\r\ne;z=1;y=2 3 -1\n");
            assertThat(sink.awaitPoints(3, WAIT)).containsExactly("a.b 100 1.0", "c.d 200 2.0",
                    "e;y=2;z=1 1700000500 3.0");
        }
        assertThat(metrics.count("ingest.plaintext_tcp.points")).isEqualTo(3);
        assertThat(metrics.count("ingest.plaintext_tcp.connections")).isEqualTo(1);
    }

    @Test
    void badLinesDoNotCloseTheConnection() throws Exception {
        CarbonReceivers r = start(local());
        try (Socket s = connect(r.plaintextTcpPort())) {
            OutputStream out = s.getOutputStream();
            write(out, "good.1 1 100\nbad line\nbad 1 x\n" + "x".repeat(20_000) + " 1 1\nbad;tag 1 1\ngood.2 2 200\n");
            assertThat(sink.awaitPoints(2, WAIT)).containsExactly("good.1 100 1.0", "good.2 200 2.0");
            write(out, "good.3 3 300\n");
            assertThat(sink.awaitPoints(3, WAIT)).endsWith("good.3 300 3.0");
        }
        assertThat(metrics.count("ingest.plaintext_tcp.bad_lines.fields")).isEqualTo(1);
        assertThat(metrics.count("ingest.plaintext_tcp.bad_lines.timestamp")).isEqualTo(1);
        assertThat(metrics.count("ingest.plaintext_tcp.bad_lines.too_long")).isEqualTo(1);
        assertThat(metrics.count("ingest.plaintext_tcp.bad_lines.tags")).isEqualTo(1);
    }

    @Test
    void udpDatagramsHoldManyLines() throws Exception {
        CarbonReceivers r = start(local().withUdpReceiveBuffer(1 << 20));
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] d = "u.a 1 10\nu.b 2 20\r\nu.c 3 30".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), r.plaintextUdpPort()));
            assertThat(sink.awaitPoints(3, WAIT)).containsExactly("u.a 10 1.0", "u.b 20 2.0", "u.c 30 3.0");
        }
        assertThat(metrics.count("ingest.plaintext_udp.datagrams")).isEqualTo(1);
    }

    @Test
    void pickleFramesOfProtocolTwoAndZero() throws Exception {
        CarbonReceivers r = start(local());
        try (Socket s = connect(r.pickleTcpPort())) {
            OutputStream out = s.getOutputStream();
            byte[] two = frame(PICKLE2);
            out.write(two, 0, 7); // a frame split across writes
            out.flush();
            out.write(two, 7, two.length - 7);
            out.write(frame(PICKLE0));
            out.flush();
            assertThat(sink.awaitPoints(4, WAIT)).containsExactly("a.b.c 1700000000 1.5", "a.b.d 1700000000 2.0",
                    "a.b.c 1700000000 1.5", "a.b.d 1700000000 2.0");
        }
        assertThat(metrics.count("ingest.pickle_tcp.frames")).isEqualTo(2);
    }

    @Test
    void oversizedPickleFrameClosesTheConnection() throws Exception {
        CarbonReceivers r = start(local().withPickleMaxFrame(64));
        try (Socket s = connect(r.pickleTcpPort())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(1000);
            out.write(new byte[100]);
            out.flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(metrics.count("ingest.pickle_tcp.bad_frames.oversized")).isEqualTo(1);
    }

    @Test
    void excessConnectionsAreClosed() throws Exception {
        CarbonReceivers r = start(local().withMaxConnections(1));
        try (Socket first = connect(r.plaintextTcpPort())) {
            write(first.getOutputStream(), "first 1 1\n");
            sink.awaitPoints(1, WAIT);
            try (Socket second = connect(r.plaintextTcpPort())) {
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            write(first.getOutputStream(), "first 2 2\n");
            sink.awaitPoints(2, WAIT);
        }
        assertThat(metrics.count("ingest.plaintext_tcp.connections_rejected")).isEqualTo(1);
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        CarbonReceivers r = start(local().withIdleTimeout(Duration.ofMillis(200)));
        try (Socket s = connect(r.plaintextTcpPort())) {
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1); // returns when the server closes the silent connection
        }
        assertThat(metrics.count("ingest.plaintext_tcp.idle_closed")).isEqualTo(1);
    }

    @Test
    void fullSinkPausesReadingAndNothingIsLost() throws Exception {
        CarbonReceivers r = start(local());
        sink.setFull(true);
        int lines = 5000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("bp.metric.").append(i).append(' ').append(i).append(" 1700000000\n");
        }
        try (Socket s = connect(r.plaintextTcpPort())) {
            write(s.getOutputStream(), sb.toString());
            sink.awaitWaiter(WAIT);
            assertThat(metrics.count("ingest.plaintext_tcp.paused")).isGreaterThanOrEqualTo(1);
            sink.setFull(false);
            List<String> got = sink.awaitPoints(lines, WAIT);
            assertThat(got).hasSize(lines);
            assertThat(got.get(lines - 1)).isEqualTo("bp.metric." + (lines - 1) + " 1700000000 " + (lines - 1.0));
        }
    }

    @Test
    void startsAndStopsTwiceOnTheSamePorts() throws Exception {
        CarbonReceivers first = start(local().withPorts(0, 0, 0));
        int tcp = first.plaintextTcpPort();
        int udp = first.plaintextUdpPort();
        int pickle = first.pickleTcpPort();
        try (Socket s = connect(tcp)) {
            write(s.getOutputStream(), "run.1 1 1\n");
            sink.awaitPoints(1, WAIT);
        }
        first.stop();
        assertThat(first.plaintextTcpPort()).isEqualTo(-1);

        ReceiverOptions same = local().withPorts(tcp, udp, pickle);
        for (int round = 2; round <= 3; round++) {
            CarbonReceivers again = round == 2 ? start(same) : first;
            if (round == 3) {
                first = new CarbonReceivers(same, sink, metrics, new ManualClock(1));
                started.add(first);
                first.start();
                again = first;
            }
            assertThat(again.plaintextTcpPort()).isEqualTo(tcp);
            assertThat(again.plaintextUdpPort()).isEqualTo(udp);
            assertThat(again.pickleTcpPort()).isEqualTo(pickle);
            try (Socket s = connect(tcp); Socket p = connect(pickle)) {
                write(s.getOutputStream(), "run." + round + " 1 1\n");
                p.getOutputStream().write(frame(PICKLE2));
                p.getOutputStream().flush();
            }
            sink.awaitPoints(1 + 3 * (round - 1), WAIT);
            again.stop();
            again.stop(); // idempotent
        }
    }

    @Test
    void aTakenPortFailsStartCleanly() throws Exception {
        CarbonReceivers first = start(local().withPorts(0, -1, -1));
        CarbonReceivers second = new CarbonReceivers(local().withPorts(first.plaintextTcpPort(), -1, -1), sink,
                metrics, new ManualClock(1));
        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plaintext TCP").hasMessageContaining("127.0.0.1:" + first.plaintextTcpPort());
        assertThat(second.plaintextTcpPort()).isEqualTo(-1);
        second.stop();
    }

    @Test
    void sameInstanceRestarts() throws Exception {
        CarbonReceivers r = start(local().withPorts(0, -1, -1));
        int port = r.plaintextTcpPort();
        r.stop();
        CarbonReceivers fixed = start(local().withPorts(port, -1, -1));
        fixed.stop();
        fixed.start();
        assertThat(fixed.plaintextTcpPort()).isEqualTo(port);
        assertThat(fixed.plaintextUdpPort()).isEqualTo(-1);
        try (Socket s = connect(port)) {
            write(s.getOutputStream(), "again 1 1\n");
            sink.awaitPoints(1, WAIT);
        }
    }
}
