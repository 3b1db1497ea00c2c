package io.tally.engine.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading the tags of a canonical tagged series name {@code name;tag1=value1;tag2=value2} (spec 1.4). The index
 * receives names the engine has already validated and normalised; this reader is lenient: a segment without
 * {@code =} or with an empty tag or value is skipped, a {@code name=} segment is ignored (the real name wins), the
 * last of duplicate tags wins, and leading {@code ~} are stripped from the {@code name} value.
 */
final class TaggedName {
    static final String NAME_TAG = "name";

    private TaggedName() {
    }

    static boolean isTagged(String canonical) {
        return canonical.indexOf(';') >= 0;
    }

    /** The value of the {@code name} tag: the part before the first {@code ;}, without leading {@code ~}. */
    static String nameValue(String canonical) {
        int end = canonical.indexOf(';');
        if (end < 0) {
            end = canonical.length();
        }
        int start = 0;
        while (start < end && canonical.charAt(start) == '~') {
            start++;
        }
        return canonical.substring(start, end);
    }

    /** All tags, {@code name} first; values are never empty (an empty name is left out). */
    static Map<String, String> tags(String canonical) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = nameValue(canonical);
        if (!name.isEmpty()) {
            out.put(NAME_TAG, name);
        }
        int pos = canonical.indexOf(';');
        while (pos >= 0) {
            int next = canonical.indexOf(';', pos + 1);
            int end = next < 0 ? canonical.length() : next;
            int eq = canonical.indexOf('=', pos + 1);
            if (eq > pos + 1 && eq < end - 1) {
                String tag = canonical.substring(pos + 1, eq);
                if (!tag.equals(NAME_TAG)) {
                    out.remove(tag); // last occurrence wins, in its position
                    out.put(tag, canonical.substring(eq + 1, end));
                }
            }
            pos = next;
        }
        return out;
    }

    /** The value of {@code tag} in a tagged name, or "" when absent. */
    static String valueOf(String canonical, String tag) {
        if (tag.equals(NAME_TAG)) {
            return nameValue(canonical);
        }
        String found = "";
        int pos = canonical.indexOf(';');
        int tl = tag.length();
        while (pos >= 0) {
            int next = canonical.indexOf(';', pos + 1);
            int end = next < 0 ? canonical.length() : next;
            int eq = pos + 1 + tl;
            if (eq < end - 1 && canonical.charAt(eq) == '=' && canonical.startsWith(tag, pos + 1)) {
                found = canonical.substring(eq + 1, end);
            }
            pos = next;
        }
        return found;
    }

    /**
     * Where carbon stores a tagged series on disk, which graphite-web then lists as a plain path:
     * {@code _tagged.<sha[0:3]>.<sha[3:6]>.<sha256 hex of the canonical name>}.
     */
    static String hashedPath(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest);
            return "_tagged." + hex.substring(0, 3) + "." + hex.substring(3, 6) + "." + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
