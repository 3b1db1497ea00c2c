package io.tally.query.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: a byte-level TCP proxy on 127.0.0.1 (port 0) in front of a node, so a peer's address is known
 * before the node starts and faults can be injected in the answer direction, chunk by chunk (so pooled
 * connections are affected too): {@code PASS} relays, {@code STALL} holds the answer until {@link #release()} (or
 * 30 s), {@code CUT} relays half a chunk and then closes both sides (a peer dying mid-answer), {@code REFUSE}
 * closes every connection at once (a dead peer). Counts accepted connections and answer chunks.
 */
final class TcpProxy implements AutoCloseable {
    enum Mode { PASS, STALL, CUT, REFUSE }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile int targetPort = -1;
    private volatile CountDownLatch released = new CountDownLatch(1);

    TcpProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void target(int port) {
        targetPort = port;
    }

    void mode(Mode m) {
        if (m == Mode.STALL) {
            released = new CountDownLatch(1);
        }
        mode = m;
        if (m == Mode.REFUSE) {
            closeAll();
        }
    }

    /** Lets stalled answers through and goes back to {@code PASS}. */
    void release() {
        mode = Mode.PASS;
        released.countDown();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (mode == Mode.REFUSE || targetPort < 0) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    Mode m = mode;
                    if (answers && m == Mode.STALL) {
                        released.await(30, TimeUnit.SECONDS);
                        m = mode;
                    }
                    if (m == Mode.REFUSE) {
                        break;
                    }
                    if (answers && m == Mode.CUT) {
                        out.write(buf, 0, Math.max(1, n / 2));
                        out.flush();
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away; close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        closeAll();
    }
}
