package io.tally.ingest;

import io.tally.engine.name.MetricName;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The slow, obvious carbon line parser for differential tests: whole input in memory, Strings, regex splits.
 * Produces the same {@code "name ts value"} points and per-reason counts as {@link PlaintextParser} should.
 */
final class ReferencePlaintextParser {
    private static final Pattern PY_FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.?)(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final String WS = "[ \\t\\r\\x0B\\x0C\\x1C-\\x1F]";

    final List<String> points = new ArrayList<>();
    final long[] bad = new long[PlaintextParser.REASONS.length];
    long nan;

    static Double pyFloat(String s) {
        if (!PY_FLOAT.matcher(s).matches()) {
            String t = s.toLowerCase().replaceFirst("^[+-]", "");
            if (t.equals("inf") || t.equals("infinity")) {
                return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return t.equals("nan") ? Double.NaN : null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    void parse(byte[] input, PlaintextParser.Options o, long now, boolean atEndTheLastLineIsComplete) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            boolean br = input[i] == '\n' || (o.datagram() && input[i] == '\r');
            if (br) {
                lines.add(Arrays.copyOfRange(input, start, i));
                if (o.datagram() && input[i] == '\r' && i + 1 < input.length && input[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        byte[] tail = Arrays.copyOfRange(input, start, input.length);
        for (byte[] l : lines) {
            line(l, o, now);
        }
        if (tail.length > 0) {
            if (atEndTheLastLineIsComplete) {
                line(tail, o, now);
            } else if (tail.length > o.maxLineLength()) {
                bad[PlaintextParser.TOO_LONG]++;
            } else {
                bad[PlaintextParser.UNTERMINATED]++;
            }
        }
    }

    private void line(byte[] raw, PlaintextParser.Options o, long now) {
        if (raw.length > o.maxLineLength()) {
            bad[PlaintextParser.TOO_LONG]++;
            return;
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            bad[PlaintextParser.UTF8]++;
            return;
        }
        String stripped = s.replaceAll("^" + WS + "+", "").replaceAll(WS + "+$", "");
        if (stripped.isEmpty()) {
            bad[PlaintextParser.EMPTY]++;
            return;
        }
        String[] f = stripped.split(WS + "+");
        boolean missing = f.length == 2 && o.acceptMissingTimestamp();
        if (f.length != 3 && !missing) {
            bad[PlaintextParser.FIELDS]++;
            return;
        }
        Double value = pyFloat(f[1]);
        if (value == null) {
            bad[PlaintextParser.VALUE]++;
            return;
        }
        double ts;
        if (missing || (o.acceptMissingTimestamp() && f[2].equals("N"))) {
            ts = -1;
        } else {
            Double t = pyFloat(f[2]);
            if (t == null) {
                bad[PlaintextParser.TIMESTAMP]++;
                return;
            }
            ts = t;
        }
        if (Double.isNaN(value)) {
            nan++;
            return;
        }
        if (Double.isNaN(ts) || Double.isInfinite(ts) || Math.abs(ts) >= 9.2e18) {
            bad[PlaintextParser.TIMESTAMP]++;
            return;
        }
        long t = (long) ts;
        if (t == -1) {
            t = now;
        }
        t = Math.floorDiv(t, o.timestampResolution()) * o.timestampResolution();
        byte[] name = f[0].getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[Math.max(1, name.length)];
        int n = MetricName.canonicalize(name, 0, name.length, out);
        if (n < 0) {
            bad[MetricName.isTagError(n) ? PlaintextParser.TAGS : PlaintextParser.NAME]++;
            return;
        }
        points.add(new String(out, 0, n, StandardCharsets.UTF_8) + " " + t + " " + value);
    }
}
