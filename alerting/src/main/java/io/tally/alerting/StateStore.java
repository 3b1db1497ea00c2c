package io.tally.alerting;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alerting state file {@code <data-dir>/alerting/state.json}: instance states with their transition history,
 * notification bookkeeping, silences, acks and API-made definitions (format in docs/ARCHITECTURE-alerting.md).
 * Written whole to {@code state.json.tmp}, fsynced, renamed over {@code state.json}, directory fsynced, so a crash
 * leaves the old or the new file, never a torn one. The path is fixed; nothing from a request becomes part of it.
 * {@link #save} is synchronised: writers (scheduler, API workers) take turns.
 */
public final class StateStore {
    public static final String DIR = "alerting";
    public static final String FILE = "state.json";
    static final int VERSION = 1;

    private final Path dir;
    private final Path file;
    private final Path tmp;

    public StateStore(Path dataDir) {
        this.dir = dataDir.resolve(DIR);
        this.file = dir.resolve(FILE);
        this.tmp = dir.resolve(FILE + ".tmp");
    }

    /** Everything the file holds. */
    public record Data(List<Instance.Persisted> instances, List<Silence> silences, List<Ack> acks,
                       List<AlertEngine.Entry> apiDefinitions) {
    }

    public synchronized void save(Data d) throws IOException {
        JsonObject root = new JsonObject().put("version", VERSION);
        JsonArray inst = new JsonArray();
        for (Instance.Persisted p : d.instances()) {
            inst.add(instanceJson(p));
        }
        root.put("instances", inst);
        JsonArray sil = new JsonArray();
        for (Silence s : d.silences()) {
            JsonArray ms = new JsonArray();
            for (Silence.Matcher m : s.matchers()) {
                ms.add(new JsonObject().put("name", m.name()).put("op", m.op()).put("value", m.value()));
            }
            sil.add(new JsonObject().put("id", s.id()).put("matchers", ms).put("starts_at", s.startsAt())
                    .put("ends_at", s.endsAt()).put("created_by", s.createdBy()).put("comment", s.comment())
                    .put("effect", s.effect().name()));
        }
        root.put("silences", sil);
        JsonArray ack = new JsonArray();
        for (Ack a : d.acks()) {
            ack.add(new JsonObject().put("alert", a.alert()).put("region", a.region()).put("state", a.state().name())
                    .put("by", a.by()).put("comment", a.comment()).put("created_at", a.createdAt())
                    .put("expires_at", a.expiresAt()));
        }
        root.put("acks", ack);
        JsonArray defs = new JsonArray();
        for (AlertEngine.Entry e : d.apiDefinitions()) {
            defs.add(new JsonObject(e.apiJson()));
        }
        root.put("definitions", defs);
        write(root.encode().getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    /**
     * Reads the file; an absent file is empty data. API definitions are re-validated with {@code parser}; one
     * that no longer validates is dropped (logged by the caller through the exception of the whole load only when
     * the file itself is unreadable).
     */
    public synchronized Data load(DefinitionParser parser) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Data(List.of(), List.of(), List.of(), List.of());
        }
        JsonObject root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        if (root.getInteger("version", 0) != VERSION) {
            throw new IOException(file + ": unsupported version " + root.getValue("version"));
        }
        List<Instance.Persisted> inst = new ArrayList<>();
        for (Object o : root.getJsonArray("instances", new JsonArray())) {
            inst.add(persisted((JsonObject) o));
        }
        List<Silence> sil = new ArrayList<>();
        for (Object o : root.getJsonArray("silences", new JsonArray())) {
            JsonObject j = (JsonObject) o;
            List<Silence.Matcher> ms = new ArrayList<>();
            for (Object m : j.getJsonArray("matchers")) {
                JsonObject mj = (JsonObject) m;
                ms.add(Silence.Matcher.of(mj.getString("name"), mj.getString("op"), mj.getString("value")));
            }
            sil.add(new Silence(j.getString("id"), ms, j.getLong("starts_at"), j.getLong("ends_at"),
                    j.getString("created_by"), j.getString("comment"), Silence.Effect.valueOf(j.getString("effect"))));
        }
        List<Ack> acks = new ArrayList<>();
        for (Object o : root.getJsonArray("acks", new JsonArray())) {
            JsonObject j = (JsonObject) o;
            acks.add(new Ack(j.getString("alert"), j.getString("region"), State.valueOf(j.getString("state")),
                    j.getString("by"), j.getString("comment"), j.getLong("created_at"), j.getLong("expires_at")));
        }
        List<AlertEngine.Entry> defs = new ArrayList<>();
        for (Object o : root.getJsonArray("definitions", new JsonArray())) {
            JsonObject j = (JsonObject) o;
            try {
                Map<String, Object> m = j.getMap();
                defs.add(new AlertEngine.Entry(parser.parseAlert(JsonMaps.plain(m), "api", ""), j.encode()));
            } catch (DefinitionException e) {
                org.slf4j.LoggerFactory.getLogger(StateStore.class)
                        .warn("a saved API definition no longer validates and is dropped: {}", e.getMessage());
            }
        }
        return new Data(inst, sil, acks, defs);
    }

    /**
     * Moves an unreadable state file aside to {@code state.json.corrupt} (replacing an older one), so the next
     * save does not destroy what an operator may want to inspect. Returns the new path, or null when it failed.
     */
    public synchronized Path quarantine() {
        Path aside = dir.resolve(FILE + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return aside;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonObject instanceJson(Instance.Persisted p) {
        JsonArray hist = new JsonArray();
        for (Transition t : p.history()) {
            hist.add(new JsonObject().put("series", t.series()).put("from", t.from().name())
                    .put("to", t.to().name()).put("value", num(t.value())).put("warn", num(t.warn()))
                    .put("crit", num(t.crit())).put("reason", t.reason()).put("at", t.atMillis()));
        }
        JsonObject j = new JsonObject().put("alert", p.alert()).put("region", p.region())
                .put("state", p.state().name()).put("timed", p.timed().name()).put("last_level", p.lastLevel().name())
                .put("since", p.sinceMillis()).put("pending_state", name(p.pendingState()))
                .put("pending_since", p.pendingSince()).put("pending_count", p.pendingCount())
                .put("no_data_since", p.noDataSince())
                .put("error_since", p.errorSince()).put("flapping", p.flapping())
                .put("evaluated_at", p.evaluatedAt()).put("value", num(p.value())).put("points", p.points())
                .put("detail", p.detail()).put("notified_state", name(p.notifiedState()))
                .put("notified_at", p.notifiedAt()).put("history", hist);
        if (p.series() != null) {
            j.put("series", p.series());
        }
        if (!p.children().isEmpty()) {
            JsonArray kids = new JsonArray();
            for (Instance.Persisted c : p.children()) {
                kids.add(instanceJson(c));
            }
            j.put("per_series", kids);
        }
        return j;
    }

    private static Instance.Persisted persisted(JsonObject j) {
        List<Transition> hist = new ArrayList<>();
        for (Object h : j.getJsonArray("history", new JsonArray())) {
            JsonObject t = (JsonObject) h;
            hist.add(new Transition(j.getString("alert"), j.getString("region"), t.getString("series"),
                    State.valueOf(t.getString("from")), State.valueOf(t.getString("to")), dbl(t, "value"),
                    dbl(t, "warn"), dbl(t, "crit"), t.getString("reason", ""), t.getLong("at")));
        }
        List<Instance.Persisted> kids = new ArrayList<>();
        for (Object c : j.getJsonArray("per_series", new JsonArray())) {
            kids.add(persisted((JsonObject) c));
        }
        return new Instance.Persisted(j.getString("alert"), j.getString("region"), j.getString("series"),
                State.valueOf(j.getString("state")), State.valueOf(j.getString("timed")),
                State.valueOf(j.getString("last_level")), j.getLong("since"), state(j.getString("pending_state")),
                j.getLong("pending_since"), j.getInteger("pending_count", 0), j.getLong("no_data_since"),
                j.getLong("error_since"),
                j.getBoolean("flapping"), j.getLong("evaluated_at"), dbl(j, "value"), j.getInteger("points"),
                j.getString("detail", ""), state(j.getString("notified_state")), j.getLong("notified_at"), hist, kids);
    }

    private static Object num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }

    private static double dbl(JsonObject j, String k) {
        Number n = (Number) j.getValue(k);
        return n == null ? Double.NaN : n.doubleValue();
    }

    private static String name(State s) {
        return s == null ? null : s.name();
    }

    private static State state(String s) {
        return s == null ? null : State.valueOf(s);
    }
}
