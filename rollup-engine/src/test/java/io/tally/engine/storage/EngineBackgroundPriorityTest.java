package io.tally.engine.storage;

import io.tally.engine.util.BackgroundPriority;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checkpointer runs at background priority, the shard writers do not: as the kernel sees them. */
class EngineBackgroundPriorityTest {
    @TempDir
    Path dir;

    @Test
    void checkpointerIsNicedAndWritersAreNot() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"));
        try (Engine e = Engine.open(EngineTestSupport.options(dir, new ManualClock(1_795_323_600L)).build())) {
            OptionalInt checkpointer = OptionalInt.empty();
            // the thread starts with the first schedule and lowers itself as it begins to run: wait for that
            for (int i = 0; i < 500 && !checkpointer.equals(OptionalInt.of(BackgroundPriority.DEFAULT_NICENESS)); i++) {
                checkpointer = niceOfThread("tally-checkpoin"); // the kernel keeps 15 characters of a name
                Thread.sleep(10);
            }
            assertThat(checkpointer).hasValue(BackgroundPriority.DEFAULT_NICENESS);
            assertThat(niceOfThread("tally-shard-0")).hasValue(BackgroundPriority.currentNiceness());
        }
    }

    /** Nice value of this process's thread whose kernel name is {@code comm}, from /proc/self/task/TID/stat. */
    private static OptionalInt niceOfThread(String comm) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                        String stat = Files.readString(task.resolve("stat"));
                        // fields after the parenthesised name: state(3) ... nice(19)
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return OptionalInt.of(Integer.parseInt(f[19 - 3]));
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return OptionalInt.empty();
    }
}
