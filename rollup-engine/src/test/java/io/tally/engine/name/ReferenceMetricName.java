package io.tally.engine.name;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A slow, obvious transcription of carbon's TaggedSeries.parse plus Tally's name rules, on Strings, for differential
 * tests of {@link MetricName}. Returns the canonical String or an Integer error code.
 */
final class ReferenceMetricName {
    private static final Pattern OM_SEGMENT = Pattern.compile("([^=]+)=\"((?:[\\\\][\"\\\\]|[^\"\\\\])+)\"(:?,|$)");

    private ReferenceMetricName() {
    }

    static Object canonical(byte[] input) {
        if (input.length == 0) {
            return MetricName.EMPTY;
        }
        if (input.length > MetricName.MAX_LENGTH) {
            return MetricName.TOO_LONG;
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            return MetricName.BAD_UTF8;
        }
        for (int cp : s.codePoints().toArray()) {
            if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0x1680
                    || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                    || cp == 0x205F || cp == 0x3000) {
                return MetricName.BAD_CHAR;
            }
        }
        Object result;
        if (s.endsWith("\"}") && s.contains("{")) {
            result = openMetrics(s);
        } else if (s.contains(";")) {
            result = carbon(s);
        } else {
            String c = collapse(s, false);
            result = c.isEmpty() ? (Object) MetricName.EMPTY : c;
        }
        if (result instanceof String r && r.endsWith("\"}") && r.contains("{")) {
            return MetricName.BAD_OPENMETRICS;
        }
        return result;
    }

    static String collapse(String name, boolean stripTilde) {
        String n = name;
        if (stripTilde) {
            int i = 0;
            while (i < n.length() && (n.charAt(i) == '~' || n.charAt(i) == '.')) {
                i++;
            }
            n = n.substring(i);
        }
        List<String> nodes = new ArrayList<>();
        for (String node : n.split("\\.")) {
            if (!node.isEmpty()) {
                nodes.add(node);
            }
        }
        return String.join(".", nodes);
    }

    private static Object carbon(String s) {
        String[] segments = s.split(";", -1);
        if (segments[0].isEmpty()) {
            return MetricName.EMPTY;
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            int eq = seg.indexOf('=');
            if (eq <= 0) {
                return MetricName.BAD_TAG;
            }
            String tag = seg.substring(0, eq);
            String value = seg.substring(eq + 1);
            Object bad = validate(tag, value);
            if (bad != null) {
                return bad;
            }
            tags.put(tag, value);
        }
        return format(segments[0], tags);
    }

    private static Object openMetrics(String s) {
        String[] parts = s.substring(0, s.length() - 1).split("\\{", -1);
        if (parts.length != 2) {
            return MetricName.BAD_OPENMETRICS;
        }
        String metric = parts[0];
        if (metric.isEmpty()) {
            return MetricName.EMPTY;
        }
        if (metric.contains(";")) {
            return MetricName.BAD_OPENMETRICS;
        }
        String raw = parts[1];
        Map<String, String> tags = new HashMap<>();
        while (!raw.isEmpty()) {
            Matcher m = OM_SEGMENT.matcher(raw);
            if (!m.lookingAt()) {
                return MetricName.BAD_OPENMETRICS;
            }
            String tag = m.group(1);
            String value = m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
            Object bad = validate(tag, value);
            if (bad != null) {
                return bad;
            }
            tags.put(tag, value);
            raw = raw.substring(m.end());
        }
        return format(metric, tags);
    }

    private static Object validate(String tag, String value) {
        if (tag.isEmpty() || value.isEmpty()) {
            return MetricName.BAD_TAG;
        }
        if (tag.contains(";") || tag.contains("!") || tag.contains("^") || tag.contains("=")) {
            return MetricName.BAD_TAG_NAME;
        }
        if (value.contains(";") || value.startsWith("~")) {
            return MetricName.BAD_TAG_VALUE;
        }
        return null;
    }

    private static Object format(String metric, Map<String, String> tags) {
        String name = collapse(metric, true);
        if (name.isEmpty()) {
            return MetricName.EMPTY;
        }
        List<byte[]> segs = new ArrayList<>();
        tags.forEach((t, v) -> {
            if (!t.equals("name")) {
                segs.add((";" + t + "=" + v).getBytes(StandardCharsets.UTF_8));
            }
        });
        segs.sort(Arrays::compareUnsigned);
        StringBuilder sb = new StringBuilder(name);
        for (byte[] seg : segs) {
            sb.append(new String(seg, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
