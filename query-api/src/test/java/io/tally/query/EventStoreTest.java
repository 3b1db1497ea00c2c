package io.tally.query;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoreTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(5_000);

    private EventStore store(int max) {
        return new EventStore(dir.resolve(EventStore.FILE_NAME), max, clock);
    }

    private static List<Long> ids(List<EventStore.Event> events) {
        return events.stream().map(EventStore.Event::id).toList();
    }

    @Test
    void eventsSurviveARestart() throws Exception {
        EventStore s = store(100);
        s.load();
        s.add(100L, "deploy", "v1", List.of("deploy", "web"));
        s.add(null, "restart", "", List.of("db"));
        EventStore again = store(100);
        assertThat(again.load()).isEqualTo(2);
        assertThat(again.find(0, Long.MAX_VALUE, List.of(), EventStore.TagSet.ALL)).containsExactly(
                new EventStore.Event(1, 100, "deploy", "v1", List.of("deploy", "web")),
                new EventStore.Event(2, 5_000, "restart", "", List.of("db")));
        assertThat(again.add(1L, "next", "", List.of()).id()).isEqualTo(3);
    }

    @Test
    void findFiltersByInclusiveTimeAndOrdersByWhen() throws Exception {
        EventStore s = new EventStore(null, 100, clock);
        s.add(300L, "c", "", List.of());
        s.add(100L, "a", "", List.of());
        s.add(200L, "b", "", List.of());
        assertThat(ids(s.find(100, 200, List.of(), EventStore.TagSet.ALL))).containsExactly(2L, 3L);
    }

    @Test
    void tagsNeedAllByDefaultOrAnyWithUnion() throws Exception {
        EventStore s = new EventStore(null, 100, clock);
        s.add(1L, "x", "", List.of("a", "b"));
        s.add(2L, "y", "", List.of("a"));
        s.add(3L, "z", "", List.of("c"));
        assertThat(ids(s.find(0, 10, List.of("a", "b"), EventStore.TagSet.of(null)))).containsExactly(1L);
        assertThat(ids(s.find(0, 10, List.of("a", "b"), EventStore.TagSet.of("intersection")))).containsExactly(1L);
        assertThat(ids(s.find(0, 10, List.of("b", "c"), EventStore.TagSet.of("union")))).containsExactly(1L, 3L);
    }

    @Test
    void keepsOnlyTheNewestAndCompactsTheFile() throws Exception {
        EventStore s = store(3);
        s.load();
        for (long i = 1; i <= 10; i++) {
            s.add(i, "e" + i, "", List.of());
        }
        assertThat(ids(s.find(0, 100, List.of(), EventStore.TagSet.ALL))).containsExactly(8L, 9L, 10L);
        assertThat(Files.readAllLines(dir.resolve(EventStore.FILE_NAME)).size()).isLessThanOrEqualTo(7);
        EventStore again = store(3);
        again.load();
        assertThat(ids(again.find(0, 100, List.of(), EventStore.TagSet.ALL))).containsExactly(8L, 9L, 10L);
    }

    @Test
    void aTornLastLineIsSkipped() throws Exception {
        EventStore s = store(10);
        s.load();
        s.add(1L, "ok", "", List.of());
        Files.writeString(dir.resolve(EventStore.FILE_NAME), "{\"id\": 2, \"when\": 2, \"wh",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        EventStore again = store(10);
        assertThat(again.load()).isEqualTo(1);
        assertThat(again.add(3L, "next", "", List.of()).id()).isEqualTo(2);
    }

    @Test
    void postBodiesAcceptListOrSpaceSeparatedTags() {
        EventStore.NewEvent a = EventStore.parseNew("{\"what\": \"deploy\", \"tags\": [\"a\", \"b c\"], "
                + "\"when\": 1700000000.7, \"data\": \"v1\"}");
        assertThat(a).isEqualTo(new EventStore.NewEvent(1700000000L, "deploy", "v1", List.of("a", "b", "c")));
        EventStore.NewEvent b = EventStore.parseNew("{\"what\": \"x\", \"tags\": \" a  b \", \"data\": {\"k\": 1}}");
        assertThat(b).isEqualTo(new EventStore.NewEvent(null, "x", "{\"k\": 1}", List.of("a", "b")));
    }

    @Test
    void badPostBodiesAreRejectedWithAReason() {
        assertThatThrownBy(() -> EventStore.parseNew("not json")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> EventStore.parseNew("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> EventStore.parseNew("{\"tags\": \"a\"}")).hasMessageContaining("\"what\"");
        assertThatThrownBy(() -> EventStore.parseNew("{\"what\": \"x\", \"tags\": 5}"))
                .hasMessageContaining("\"tags\"");
        assertThatThrownBy(() -> EventStore.parseNew("{\"what\": \"x\", \"when\": \"soon\"}"))
                .hasMessageContaining("\"when\"");
        assertThatThrownBy(() -> EventStore.parseNew("{\"what\": \"x\", \"when\": NaN}"))
                .isInstanceOf(BadRequestException.class);
    }
}
