package io.tally.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tally.engine.util.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Graphite events (annotations, spec §3.9): a bounded in-memory list persisted to one JSON-lines file.
 *
 * <p>Design: the newest {@code maxEvents} events are held in id order (ids increase with insertion); adding one
 * past the bound forgets the oldest. Each new event is appended to {@code <data-dir>/events.jsonl} as one line
 * {@code {"id": .., "when": .., "what": .., "data": .., "tags": [..]}} and forced to disk before the call returns,
 * so an acknowledged event survives a crash. {@link #load()} reads the file at start-up, skipping lines that do
 * not parse (a torn last line after a crash) and keeping the newest {@code maxEvents}. Once the file holds more
 * than twice {@code maxEvents} lines it is rewritten with the retained events (temp file, fsync, rename), so it
 * stays bounded too. Without a file (null path) events live in memory only.
 *
 * <p>Threading: every method is synchronized (events are rare; a query scans at most {@code maxEvents}). Methods
 * that touch the file block: call them from a worker thread, never an event loop. Framework-free.
 */
public final class EventStore {
    /** Events kept when the server is not told otherwise. */
    public static final int DEFAULT_MAX_EVENTS = 10_000;
    /** Name of the events file in the data directory. */
    public static final String FILE_NAME = "events.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Comparator<Event> BY_WHEN = Comparator.comparingLong(Event::when)
            .thenComparingLong(Event::id);

    /**
     * One event.
     *
     * @param when epoch seconds
     * @param tags distinct tags in the order given
     */
    public record Event(long id, long when, String what, String data, List<String> tags) {
        public Event {
            tags = List.copyOf(tags);
        }
    }

    /** How {@code get_data} combines several tags: all must be present (the default), or any. */
    public enum TagSet {
        ALL, ANY;

        /** graphite-web's {@code set} parameter: {@code union} = any, {@code intersection} or absent = all. */
        public static TagSet of(String set) {
            return "union".equals(set) ? ANY : ALL;
        }
    }

    private final Path file;
    private final int maxEvents;
    private final Clock clock;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long nextId = 1;
    private long fileLines;

    /** @param file the JSON-lines file, or null to keep events in memory only */
    public EventStore(Path file, int maxEvents, Clock clock) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
        }
        this.file = file;
        this.maxEvents = maxEvents;
        this.clock = clock;
    }

    /** Reads the events file, if any; returns the number of events held. Blocking. */
    public synchronized int load() throws IOException {
        events.clear();
        fileLines = 0;
        if (file == null) {
            return 0;
        }
        long skipped = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                fileLines++;
                if (line.isBlank()) {
                    continue;
                }
                Event e = fromLine(line);
                if (e == null) {
                    skipped++;
                    continue;
                }
                events.addLast(e);
                nextId = Math.max(nextId, e.id() + 1);
                while (events.size() > maxEvents) {
                    events.pollFirst();
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} line(s) that are not events", file, skipped);
        }
        return events.size();
    }

    /**
     * Adds an event and, with a file, appends it durably. Blocking.
     *
     * @param when epoch seconds, or null for now
     */
    public synchronized Event add(Long when, String what, String data, List<String> tags) throws IOException {
        Event e = new Event(nextId, when == null ? clock.nowSeconds() : when, what, data == null ? "" : data,
                List.copyOf(new LinkedHashSet<>(tags)));
        if (file != null) {
            append(e);
        }
        nextId++;
        events.addLast(e);
        while (events.size() > maxEvents) {
            events.pollFirst();
        }
        if (file != null && fileLines > 2L * maxEvents) {
            compact();
        }
        return e;
    }

    /**
     * Events with {@code from <= when <= until} carrying the tags (none given: every event), ordered by
     * {@code when} then id.
     */
    public synchronized List<Event> find(long from, long until, Collection<String> tags, TagSet set) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.when() >= from && e.when() <= until && matches(e, tags, set)) {
                out.add(e);
            }
        }
        out.sort(BY_WHEN);
        return out;
    }

    /** The event with this id, or null. */
    public synchronized Event get(long id) {
        for (Event e : events) {
            if (e.id() == id) {
                return e;
            }
        }
        return null;
    }

    public synchronized int size() {
        return events.size();
    }

    private static boolean matches(Event e, Collection<String> tags, TagSet set) {
        if (tags.isEmpty()) {
            return true;
        }
        for (String t : tags) {
            boolean has = e.tags().contains(t);
            if (set == TagSet.ANY && has) {
                return true;
            }
            if (set == TagSet.ALL && !has) {
                return false;
            }
        }
        return set == TagSet.ALL;
    }

    private void append(Event e) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            write(ch, line(e));
            ch.force(false);
        }
        fileLines++;
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Event e : events) {
                write(ch, line(e));
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fileLines = events.size();
    }

    private static void write(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The event as one JSON line (ASCII, so no line break can appear inside). */
    static byte[] line(Event e) {
        JsonWriter w = new JsonWriter(128, false, true);
        writeEvent(w, e);
        w.raw("\n");
        return w.toByteArray();
    }

    /** Graphite's event object: {@code {"when", "what", "data", "tags", "id"}}. */
    public static void writeEvent(JsonWriter w, Event e) {
        w.beginObject();
        w.name("when").value(e.when());
        w.name("what").value(e.what());
        w.name("data").value(e.data());
        w.name("tags").beginArray();
        for (String t : e.tags()) {
            w.value(t);
        }
        w.endArray();
        w.name("id").value(e.id());
        w.endObject();
    }

    static Event fromLine(String line) {
        try {
            if (!(parse(line) instanceof Map<?, ?> m)) {
                return null;
            }
            if (!(m.get("id") instanceof Number id) || !(m.get("when") instanceof Number when)
                    || !(m.get("what") instanceof String what)) {
                return null;
            }
            Object data = m.get("data");
            List<String> tags = new ArrayList<>();
            if (m.get("tags") instanceof List<?> l) {
                for (Object t : l) {
                    if (t instanceof String s) {
                        tags.add(s);
                    }
                }
            }
            return new Event(id.longValue(), when.longValue(), what, data instanceof String s ? s : "", tags);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A {@code POST /events} body: {@code {"what": text, "tags": [..] | "a b", "when": epoch?, "data": any}}.
     * {@code tags} entries are split on whitespace (graphite-web stores them space-separated); {@code data} that is
     * not text is kept as its JSON text.
     *
     * @throws BadRequestException when the body is not such an object
     */
    public static NewEvent parseNew(String body) {
        Object parsed;
        try {
            parsed = parse(body);
        } catch (IOException | RuntimeException e) {
            throw new BadRequestException("the event is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new BadRequestException("the event must be a JSON object {\"what\": .., \"tags\": .., "
                    + "\"data\": .., \"when\": ..}");
        }
        if (!(m.get("what") instanceof String what) || what.isBlank()) {
            throw new BadRequestException("the event needs \"what\" (a non-empty string)");
        }
        Long when = null;
        Object w = m.get("when");
        if (w instanceof Number n) {
            when = (long) Math.floor(n.doubleValue());
        } else if (w != null) {
            throw new BadRequestException("\"when\" must be epoch seconds (a number)");
        }
        List<String> tags = new ArrayList<>();
        Object t = m.get("tags");
        if (t instanceof String s) {
            splitInto(s, tags);
        } else if (t instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw new BadRequestException("\"tags\" must be an array of strings or a space-separated string");
                }
                splitInto(s, tags);
            }
        } else if (t != null) {
            throw new BadRequestException("\"tags\" must be an array of strings or a space-separated string");
        }
        Object d = m.get("data");
        String data = d == null ? "" : d instanceof String s ? s : jsonText(d);
        return new NewEvent(when, what, data, tags);
    }

    /** A parsed {@code POST /events} body; {@code when} null for now. */
    public record NewEvent(Long when, String what, String data, List<String> tags) {
    }

    /** Space- (or whitespace-) separated tags, as in {@code get_data?tags=a b}. */
    public static List<String> splitTags(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            splitInto(s, out);
        }
        return out;
    }

    private static void splitInto(String s, List<String> out) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
    }

    // ---- a small JSON reader (Jackson's streaming parser, strict: no NaN, no comments) ----

    static Object parse(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("empty document");
            }
            Object v = value(p, first, 0);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return v;
        }
    }

    private static Object value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > 32) {
            throw new IOException("nested deeper than 32 levels");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken(), depth + 1));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e, depth + 1));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + t);
        };
    }

    private static String jsonText(Object v) {
        JsonWriter w = new JsonWriter(64, false, false);
        writeAny(w, v);
        return w.toString();
    }

    private static void writeAny(JsonWriter w, Object v) {
        if (v == null) {
            w.nullValue();
        } else if (v instanceof String s) {
            w.value(s);
        } else if (v instanceof Long l) {
            w.value(l);
        } else if (v instanceof Double d) {
            w.value(d);
        } else if (v instanceof Boolean b) {
            w.value(b);
        } else if (v instanceof Map<?, ?> m) {
            w.beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w.name(String.valueOf(e.getKey()));
                writeAny(w, e.getValue());
            }
            w.endObject();
        } else if (v instanceof List<?> l) {
            w.beginArray();
            for (Object o : l) {
                writeAny(w, o);
            }
            w.endArray();
        } else {
            w.value(String.valueOf(v));
        }
    }
}
