package io.tally.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed carbon lines on a live server: one TCP connection mixes good lines with one bad line of each kind;
 * every good line is stored, the connection stays usable, and each bad line is counted under its reason in Tally's
 * own metrics ({@code tally.agents.<host>.ingest.plaintext_tcp.bad_lines.<reason>}) after a reporter tick.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private EmbeddedTally tally;

    @AfterEach
    void stop() {
        if (tally != null) {
            tally.close();
        }
    }

    @Test
    void badLinesAreCountedAndSkippedWhileGoodLinesOnTheSameConnectionAreStored() throws Exception {
        tally = EmbeddedTally.start(dir, "ingest.max-line-length", "1KiB");
        TallyHttp http = tally.http();
        long ts = System.currentTimeMillis() / 1000 - 120;

        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("value", ascii("itest.bad.value notanumber " + ts + "\n"));
        bad.put("fields", ascii("itest.bad.fields 1\n"));
        bad.put("too_long", ascii("itest.bad.long." + "x".repeat(2000) + " 1 " + ts + "\n"));
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        utf8.writeBytes(ascii("itest.bad.utf8."));
        utf8.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        utf8.writeBytes(ascii(" 1 " + ts + "\n"));
        bad.put("utf8", utf8.toByteArray());
        bad.put("tags", ascii("itest.bad.tags;=novalue 1 " + ts + "\n"));
        bad.put("timestamp", ascii("itest.bad.timestamp 1 yesterday\n"));

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tally.plaintextTcpPort())) {
            OutputStream out = socket.getOutputStream();
            int good = 0;
            for (byte[] line : bad.values()) {
                out.write(ascii("itest.bad.good.g" + good + " " + good + " " + ts + "\n"));
                good++;
                out.write(line);
                out.flush();
            }
            out.write(ascii("itest.bad.good.g" + good + " " + good + " " + ts + "\n"));
            out.flush();
            int goodLines = good + 1;

            Map<String, Double> stored = Await.until("the good lines", () -> http.latest("itest.bad.good.*"),
                    m -> m.size() == goodLines);
            for (int i = 0; i < goodLines; i++) {
                assertThat(stored).containsEntry("itest.bad.good.g" + i, (double) i);
            }
            // nothing of a bad line was stored under any name
            assertThat(http.find("itest.bad.*")).containsExactly(new TallyHttp.Node("itest.bad.good", false));

            // the same connection still works after all of that
            out.write(ascii("itest.bad.after 99 " + ts + "\n"));
            out.flush();
            Await.until("a line sent after the bad ones", () -> http.latest("itest.bad.after"),
                    m -> m.containsKey("itest.bad.after"));
            assertThat(http.latest("itest.bad.after")).containsEntry("itest.bad.after", 99.0);

            assertThat(tally.server().reporter().tick()).isPositive();
            String counters = EmbeddedTally.SELF_PREFIX + ".ingest.plaintext_tcp.bad_lines.";
            Map<String, Double> counted = Await.until("the bad-line counters in the self-metrics",
                    () -> http.latest(counters + "*"), m -> m.size() >= bad.size());
            for (String reason : bad.keySet()) {
                assertThat(counted).as(reason).containsEntry(counters + reason, 1.0);
            }
            assertThat(counted).containsEntry(counters + "name", 0.0).containsEntry(counters + "unterminated", 0.0);
            assertThat(http.latest(EmbeddedTally.SELF_PREFIX + ".ingest.plaintext_tcp.{points,connections}"))
                    .containsEntry(EmbeddedTally.SELF_PREFIX + ".ingest.plaintext_tcp.points", goodLines + 1.0)
                    .containsEntry(EmbeddedTally.SELF_PREFIX + ".ingest.plaintext_tcp.connections", 1.0);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
