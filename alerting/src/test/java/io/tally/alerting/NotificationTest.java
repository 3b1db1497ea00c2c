package io.tally.alerting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When notifications go out: state changes, repeats after `repeat`, recoveries, and the subscription's state filter. */
class NotificationTest {
    @TempDir
    Path dir;
    Rig rig;

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    void rig(String notify) throws Exception {
        rig = new Rig(dir, null, List.of("r1"), List.of(Defs.one("""
                {id: err, regions: [r1], query: {target: 'apps.${region}.errors', window: 5m}, reduce: last,
                 condition: {direction: above, warn: 100, crit: 200}, repeat: 3m,
                 notify: %s}
                """.formatted(notify))));
    }

    @Test
    void changesRepeatsAndRecoveryGoToAnUnfilteredSubscription() throws Exception {
        rig("[{url: 'http://127.0.0.1:9/a'}]");
        rig.level("apps.r1.errors", 10);
        rig.step(0);
        assertThat(rig.sent).isEmpty(); // a new check that is OK records nothing (Tattle)
        rig.level("apps.r1.errors", 150);
        rig.step(60);
        rig.level("apps.r1.errors", 150);
        rig.step(60);
        rig.level("apps.r1.errors", 150);
        rig.step(60);
        rig.level("apps.r1.errors", 150);
        rig.step(60); // 3m after the first WARNING notification
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        assertThat(rig.sent).extracting(Rig.Sent::state, Rig.Sent::previous, Rig.Sent::repeat).containsExactly(
                org.assertj.core.groups.Tuple.tuple(State.WARNING, State.OK, false),
                org.assertj.core.groups.Tuple.tuple(State.WARNING, State.WARNING, true),
                org.assertj.core.groups.Tuple.tuple(State.OK, State.WARNING, false));
    }

    @Test
    void theStateFilterIsHonoured() throws Exception {
        rig("[{url: 'http://127.0.0.1:9/a', states: [critical]}]");
        rig.level("apps.r1.errors", 150);
        rig.step(0);
        assertThat(rig.sent).isEmpty(); // WARNING is filtered out
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        rig.level("apps.r1.errors", 150);
        rig.step(60);
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        // CRITICAL, then nothing for WARNING, and no recovery: the state left (WARNING) is not in the filter
        assertThat(rig.sent).extracting(Rig.Sent::state).containsExactly(State.CRITICAL);
    }

    @Test
    void aSilenceHoldsNotificationsBackUntilItEnds() throws Exception {
        rig("[{url: 'http://127.0.0.1:9/a'}]");
        rig.engine.addSilence(List.of(Silence.Matcher.of("alert", "=", "err")), rig.now(), rig.now() + 90_000,
                "ops", "deploy", Silence.Effect.REPORT_OK);
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        assertThat(rig.sent).isEmpty();
        rig.level("apps.r1.errors", 250);
        rig.step(60); // the silence ended at +90s
        assertThat(rig.sent).extracting(Rig.Sent::state).containsExactly(State.CRITICAL);
    }

    @Test
    void aSilenceStartingDuringAProblemSendsNoRecovery() throws Exception {
        rig("[{url: 'http://127.0.0.1:9/a'}]");
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        rig.engine.addSilence(List.of(Silence.Matcher.of("region", "=", "r1")), rig.now(), rig.now() + 250_000,
                "ops", "known", Silence.Effect.ANNOTATE);
        for (int i = 0; i < 3; i++) {
            rig.level("apps.r1.errors", 250);
            rig.step(60);
        }
        rig.level("apps.r1.errors", 10);
        rig.step(60); // recovered while silenced: nothing sent yet
        assertThat(rig.sent).extracting(Rig.Sent::state).containsExactly(State.CRITICAL);
        rig.level("apps.r1.errors", 10);
        rig.step(60); // the silence is over: the recovery goes out
        assertThat(rig.sent).extracting(Rig.Sent::state).containsExactly(State.CRITICAL, State.OK);
    }
}
