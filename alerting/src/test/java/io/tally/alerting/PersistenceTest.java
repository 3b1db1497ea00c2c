package io.tally.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** State, transitions, silences, acks and API definitions survive a restart (a new engine over the same data dir). */
class PersistenceTest {
    @TempDir
    Path dir;

    static final String DEF = """
            {id: err, regions: [r1], query: {target: 'apps.${region}.errors', window: 5m},
             condition: {direction: above, warn: 100, crit: 200}, for: 2m}
            """;

    @Test
    void everythingComesBackAfterARestart() throws Exception {
        Path data = dir.resolve("data");
        TestStore store = new TestStore(dir.resolve("storage"), Rig.T0);
        try {
            Rig a = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
            a.level("apps.r1.errors", 250);
            a.step(0);
            a.level("apps.r1.errors", 250);
            a.step(120);
            assertThat(a.report("err", "r1").state()).isEqualTo(State.CRITICAL);
            a.engine.putApiDefinition(Defs.PARSER.parseAlert(JsonMaps.plain(new io.vertx.core.json.JsonObject("""
                    {"id": "made", "regions": ["r1"], "query": {"target": "x"},
                     "condition": {"direction": "above", "crit": 1}}
                    """).getMap()), "api", ""), "{\"id\":\"made\",\"regions\":[\"r1\"],\"query\":{\"target\":\"x\"},"
                    + "\"condition\":{\"direction\":\"above\",\"crit\":1}}");
            Silence s = a.engine.addSilence(List.of(Silence.Matcher.of("alert", "=", "made")), a.now(),
                    a.now() + 3_600_000, "ops", "why", Silence.Effect.ANNOTATE);
            a.engine.ack("err", "r1", "bob", "on it", a.now() + 600_000);
            a.engine.persist();
            assertThat(Files.exists(data.resolve("alerting/state.json"))).isTrue();
            assertThat(Files.exists(data.resolve("alerting/state.json.tmp"))).isFalse();
            a.pool.shutdownNow();

            Rig b = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
            Report r = b.report("err", "r1");
            assertThat(r.realState()).isEqualTo(State.CRITICAL);
            assertThat(r.state()).isEqualTo(State.OK); // still acked
            assertThat(r.ack().by()).isEqualTo("bob");
            assertThat(r.snapshot().sinceMillis()).isEqualTo((Rig.T0 + 120) * 1000);
            assertThat(b.engine.instance("err", "r1").history(0, Long.MAX_VALUE)).extracting(Transition::to)
                    .containsExactly(State.CRITICAL);
            assertThat(b.engine.definition("made")).isNotNull();
            assertThat(b.engine.definition("made").definition().source()).isEqualTo("api");
            assertThat(b.engine.silences()).extracting(Silence::id).containsExactly(s.id());
            b.pool.shutdownNow();
        } finally {
            store.close();
        }
    }

    @Test
    void aPendingStateKeepsItsStartAcrossARestart() throws Exception {
        Path data = dir.resolve("data");
        TestStore store = new TestStore(dir.resolve("storage"), Rig.T0);
        try {
            Rig a = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
            a.level("apps.r1.errors", 250);
            a.step(0);
            a.engine.persist();
            a.pool.shutdownNow();
            Rig b = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
            b.level("apps.r1.errors", 250);
            b.step(120); // pending since T0: `for` 2m is over
            assertThat(b.report("err", "r1").state()).isEqualTo(State.CRITICAL);
            b.pool.shutdownNow();
        } finally {
            store.close();
        }
    }

    @Test
    void anUnreadableStateFileIsMovedAsideNotOverwritten() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("alerting"));
        Files.writeString(data.resolve("alerting/state.json"), "{\"version\": 1, \"instances\": [{tor");
        TestStore store = new TestStore(dir.resolve("storage"), Rig.T0);
        try {
            Rig a = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
            a.step(0);
            assertThat(Files.readString(data.resolve("alerting/state.json.corrupt"))).contains("{tor");
            assertThat(a.engine.health().storeProblem()).contains("state.json.corrupt");
            a.pool.shutdownNow();
        } finally {
            store.close();
        }
    }
}
