package io.tally.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clean shutdown of a real {@code tally server} child process: SIGTERM makes it drain ({@code /health} 503),
 * stop the receivers (closing client connections), flush storage and exit with 0; with a WAL sync interval of an
 * hour, every point it had accepted before the signal is still there after a restart.
 */
class SigtermTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T t) {
        open.add(t);
        return t;
    }

    @Test
    void sigtermDrainsFlushesAndExitsZeroKeepingEveryAcceptedPoint() throws Exception {
        Path data = dir.resolve("data");
        Path schemas = dir.resolve("storage-schemas.conf");
        Files.writeString(schemas, "[itest]\npattern = ^itest\\.\nretentions = 1s:2h\n");
        String[] settings = {"storage.wal-sync-interval=1h", "storage.shards=2", "storage.schemas=" + schemas,
                "self-metrics.interval=0"};
        TallyProcess first = track(TallyProcess.startOnFreePorts(data, "first", settings));

        int chunks = 200;
        long base = System.currentTimeMillis() / 1000 - 3600;
        CarbonStream sent = track(CarbonStream.sendAll(first.carbon(), "itest.term", base, chunks));
        // accepted: applied by storage and visible to queries
        Await.until("all points to be visible", () -> first.http().render(String.valueOf(base - 1),
                String.valueOf(base + chunks), "itest.term.*"), m -> sent.check(m, chunks).isEmpty());

        ProcessHandle handle = first.process().toHandle();
        assertThat(handle.supportsNormalTermination()).as("destroy() sends SIGTERM").isTrue();
        first.process().destroy();
        List<String> health = new ArrayList<>();
        long giveUp = System.nanoTime() + Await.MAX.toNanos();
        while (first.process().isAlive() && System.nanoTime() - giveUp < 0) {
            try {
                TallyHttp.Answer a = first.http().get("/health");
                health.add(a.status() + " " + a.body());
            } catch (IOException e) {
                break; // the HTTP server has closed: the process is on its way out
            }
        }
        assertThat(first.awaitExit(Await.MAX)).isZero();
        // before the signal is handled /health may still say ok; once it is, it says draining until it closes
        assertThat(health).allSatisfy(h -> assertThat(h).matches("200 .*\"ok\".*|503 .*\"draining\".*"));
        assertThat(first.log()).contains("shutting down", "Tally stopped");

        // the receivers closed the client's connection
        InputStream in = sent.socket().getInputStream();
        sent.socket().setSoTimeout((int) Await.MAX.toMillis());
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
        // the final checkpoint wrote the data files
        try (Stream<Path> s = Files.walk(data)) {
            assertThat(s.filter(p -> p.toString().endsWith(".tsg")).count()).isPositive();
        }

        TallyProcess second = track(TallyProcess.start(data, first.ports(), "second", settings));
        var rendered = second.http().render(String.valueOf(base - 1), String.valueOf(base + chunks), "itest.term.*");
        assertThat(sent.check(rendered, chunks)).isEmpty();
    }
}
