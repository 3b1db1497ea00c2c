package io.tally.alerting;

import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Definitions from a directory, reloaded when a file changes; a bad file keeps the previous set. */
class ReloadTest {
    @TempDir
    Path dir;

    static final String A = "alerts: [{id: a, query: {target: x.a}, condition: {direction: above, crit: 1}}]\n";
    static final String B = "alerts: [{id: b, query: {target: x.b}, condition: {direction: above, crit: 1}}]\n";

    @Test
    void aChangedFileIsReloadedOnTheSchedulerTick() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("alerts"));
        Files.writeString(defs.resolve("a.yaml"), A);
        Files.writeString(defs.resolve("notes.txt"), "not a definition file");
        try (TestStore store = new TestStore(dir.resolve("s"), Rig.T0);
             AlertingService s = AlertingService.create(AlertingConfig.defaults(defs), store.renderer, store.clock,
                     new MetricsRegistry(), null, "r1", List.of())) {
            assertThat(s.engine().definitions()).extracting(e -> e.definition().id()).containsExactly("a");
            s.tick();
            Files.writeString(defs.resolve("b.yaml"), B);
            s.tick(); // within reloadSeconds of the last check: not polled yet
            assertThat(s.engine().definition("b")).isNull();
            store.clock.advanceSeconds(10);
            s.tick();
            assertThat(s.engine().definition("b")).isNotNull();
            assertThat(s.engine().instance("b", "r1")).isNotNull();

            Files.writeString(defs.resolve("b.yaml"), B.replace("crit: 1", "crit: 1, colour: red"));
            Files.setLastModifiedTime(defs.resolve("b.yaml"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
            store.clock.advanceSeconds(10);
            s.tick();
            assertThat(s.engine().definition("b")).isNotNull(); // the previous set stays
            assertThat(s.lastReloadError()).contains("b.yaml").contains("alerts[0].condition.colour: unknown field");
        }
    }

    @Test
    void duplicateIdsAcrossFilesNameBothFiles() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("alerts"));
        Files.writeString(defs.resolve("1.yaml"), A);
        Files.writeString(defs.resolve("2.yml"), A);
        DefinitionLoader loader = new DefinitionLoader(defs, Defs.PARSER);
        assertThatThrownBy(loader::load).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("2.yml: id: duplicate id 'a' (also in").hasMessageContaining("1.yaml");
    }

    @Test
    void invalidYamlNamesTheFile() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "alerts: [ {id: a\n");
        assertThatThrownBy(() -> new DefinitionLoader(f, Defs.PARSER).load())
                .hasMessageStartingWith(f + ": invalid YAML");
    }

    @Test
    void theSchedulerThreadEvaluatesOnItsOwn() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "alerts: [{id: a, query: {target: x.a, window: 5m}, condition: {direction: above, "
                + "crit: 1}}]\n");
        try (TestStore store = new TestStore(dir.resolve("s"), Rig.T0)) {
            store.series("x.a", Rig.T0 - 300, 5, 5, 5, 5, 5);
            java.util.concurrent.CountDownLatch fired = new java.util.concurrent.CountDownLatch(1);
            try (AlertingService s = AlertingService.start(AlertingConfig.defaults(f), store.renderer, store.clock,
                    new MetricsRegistry(), dir.resolve("data"), "r1", List.of())) {
                s.engine().addTransitionListener(t -> fired.countDown());
                assertThat(fired.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(s.engine().report("a", "r1", false).state()).isEqualTo(State.CRITICAL);
                assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                        .contains("tally-alert-scheduler").anyMatch(n -> n.startsWith("tally-alert-eval-"));
            }
            assertThat(Files.exists(dir.resolve("data/alerting/state.json"))).isTrue(); // written on close
        }
    }
}
