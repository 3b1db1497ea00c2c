package io.tally.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash recovery of a real {@code tally server} child process: points stream over plaintext TCP, the process is
 * killed with SIGKILL in the middle of the stream, restarted on the same data directory and ports, and every point
 * whose write completed at least one WAL sync interval (plus a margin) before the kill must be back with its value.
 * Variants: a kill while checkpoints run every second, and a WAL whose tail is torn and corrupted after the kill.
 */
class KillRecoveryTest {
    private static final Duration SYNC = Duration.ofMillis(200);
    private static final Duration MARGIN = Duration.ofMillis(300);
    private static final int SIGKILL = 9;

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

    private Path data() {
        return dir.resolve("data");
    }

    /** {@code --set} values shared by both runs; {@code itest.*} series keep one-second points for two hours. */
    private String[] settings(String... extra) throws IOException {
        Path schemas = dir.resolve("storage-schemas.conf");
        Files.writeString(schemas, "[itest]\npattern = ^itest\\.\nretentions = 1s:2h\n\n"
                + "[default]\npattern = .*\nretentions = 1m:14d\n");
        List<String> s = new ArrayList<>(List.of("storage.wal-sync-interval=" + SYNC.toMillis() + "ms",
                "storage.shards=2", "storage.schemas=" + schemas, "self-metrics.interval=0"));
        s.addAll(List.of(extra));
        return s.toArray(new String[0]);
    }

    /** What a run established before the kill: the stream and the number of chunks that must survive. */
    record Killed(CarbonStream stream, int required) {
    }

    /**
     * Streams into {@code tally} until {@code ready} holds and at least 400 chunks went out, marks the chunks written
     * so far as required (the cut), waits until they are all applied (visible) and one sync interval plus the margin
     * has passed while the stream goes on, then sends SIGKILL with the stream still running.
     */
    private Killed streamAndKill(TallyProcess tally, Await.Probe<Boolean> ready) throws Exception {
        long base = System.currentTimeMillis() / 1000 - 3600;
        CarbonStream stream = track(CarbonStream.start(tally.carbon(), "itest.kill", base, 4));
        Await.until("400 chunks streamed", stream::written, n -> n >= 400);
        Await.until("the server to be ready for the kill", ready, Boolean::booleanValue);
        long cut = System.nanoTime();
        int required = stream.written();
        int last = required - 1;
        Await.until("the last required chunk to be visible", () -> tally.http().render(
                String.valueOf(stream.ts(last) - 1), String.valueOf(stream.ts(last)), "itest.kill.*"),
                m -> m.size() == CarbonStream.SERIES
                        && m.values().stream().allMatch(s -> s.points().containsKey(stream.ts(last))));
        long killAfter = cut + SYNC.toNanos() + MARGIN.toNanos();
        Await.until("one sync interval and the margin to pass", System::nanoTime, t -> t - killAfter >= 0);
        // the stream goes on: make sure the server holds points written after the cut, so the newest WAL records
        // (the ones a torn tail destroys) are not required ones
        int later = Await.until("the stream to go on past the cut", stream::written, n -> n > required) - 1;
        Await.until("a chunk written after the cut to be visible", () -> tally.http().render(
                String.valueOf(stream.ts(later) - 1), String.valueOf(stream.ts(later)), "itest.kill.*"),
                m -> m.size() == CarbonStream.SERIES
                        && m.values().stream().allMatch(s -> s.points().containsKey(stream.ts(later))));

        ProcessHandle handle = tally.process().toHandle();
        // on Linux destroy() is SIGTERM and destroyForcibly() SIGKILL; the exit code 128 + 9 proves the latter
        assertThat(handle.supportsNormalTermination()).isTrue();
        tally.process().destroyForcibly();
        assertThat(tally.awaitExit(Await.MAX)).isEqualTo(128 + SIGKILL);
        assertThat(handle.isAlive()).isFalse();
        stream.close();
        assertThat(tally.log()).as("no shutdown hook ran").doesNotContain("shutting down");
        return new Killed(stream, required);
    }

    private void assertRecovered(TallyProcess restarted, Killed k) throws Exception {
        CarbonStream s = k.stream();
        int upTo = s.written() + 1;
        var rendered = restarted.http().render(String.valueOf(s.ts(0) - 1), String.valueOf(s.ts(upTo)),
                "itest.kill.*");
        assertThat(s.check(rendered, k.required())).as("points after restart (%d chunks required of %d written)",
                k.required(), s.written()).isEmpty();
        assertThat(k.required()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void sigkillLosesNothingWrittenBeforeTheLastSyncInterval() throws Exception {
        TallyProcess first = track(TallyProcess.startOnFreePorts(data(), "first", settings()));
        Killed k = streamAndKill(first, () -> true);

        TallyProcess second = track(TallyProcess.start(data(), first.ports(), "second", settings()));
        assertRecovered(second, k);
        assertThat(second.log()).contains("replayed");
    }

    @Test
    void sigkillWhileCheckpointsRunEverySecond() throws Exception {
        String[] settings = settings("storage.checkpoint-interval=1s");
        TallyProcess first = track(TallyProcess.startOnFreePorts(data(), "first", settings));
        // kill only once checkpoints have written segment files, so one is likely under way at the kill
        Killed k = streamAndKill(first, () -> files(data(), "segments", ".tsg").size() >= 2);

        TallyProcess second = track(TallyProcess.start(data(), first.ports(), "second", settings));
        assertRecovered(second, k);
    }

    @Test
    void aTornAndACorruptWalTailAreCutOffAtRestartAndLogged() throws Exception {
        TallyProcess first = track(TallyProcess.startOnFreePorts(data(), "first", settings()));
        Killed k = streamAndKill(first, () -> true);

        // shard 0: the newest segment loses its last 5 bytes (a torn write); shard 1: its last byte is flipped
        Path torn = newestWal(data().resolve("shard-0"));
        long tornSize = Files.size(torn);
        try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.WRITE)) {
            ch.truncate(tornSize - 5);
        }
        Path flipped = newestWal(data().resolve("shard-1"));
        try (FileChannel ch = FileChannel.open(flipped, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() - 1;
            ch.read(b, at);
            b.put(0, (byte) ~b.get(0));
            ch.write(b.flip(), at);
        }

        TallyProcess second = track(TallyProcess.start(data(), first.ports(), "second",
                settings("self-metrics.interval=1s")));
        assertRecovered(second, k);
        String log = second.log();
        assertThat(log).contains("truncated record body at byte", "checksum mismatch at byte",
                "repaired a torn tail");
        assertThat(Files.size(torn)).isLessThan(tornSize - 5);
        String repaired = EmbeddedTally.SELF_PREFIX + ".storage.wal_repaired_bytes";
        var counted = Await.until("storage.wal_repaired_bytes in the self-metrics",
                () -> second.http().latest(repaired), m -> m.containsKey(repaired));
        assertThat(counted.get(repaired)).isGreaterThan(5.0);
    }

    private static Path newestWal(Path shard) throws IOException {
        List<Path> wal = files(shard, "wal", ".wal");
        Path newest = wal.stream().max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow(
                () -> new AssertionError("no WAL segment in " + shard));
        assertThat(Files.size(newest)).as("size of %s", newest).isGreaterThan(64);
        return newest;
    }

    /** Files ending in {@code suffix} in the {@code sub} directory of {@code root} or of its {@code shard-*}. */
    private static List<Path> files(Path root, String sub, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(sub)
                    && p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
