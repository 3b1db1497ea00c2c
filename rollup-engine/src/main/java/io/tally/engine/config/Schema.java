package io.tally.engine.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One storage-schemas.conf section: series whose canonical name matches {@code pattern} (searched anywhere in the
 * name, like Python's {@code re.search}) are created with {@code archives}, finest first, valid by whisper's rules.
 */
public record Schema(String name, Pattern pattern, List<Archive> archives) {
    public Schema {
        archives = List.copyOf(archives);
    }

    /** True if this schema applies to {@code canonicalName}. */
    public boolean matches(String canonicalName) {
        return pattern.matcher(canonicalName).find();
    }

    /** The longest retention, i.e. that of the coarsest archive. */
    public long maxRetentionSeconds() {
        return archives.getLast().retentionSeconds();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[").append(name).append("] pattern=").append(pattern.pattern())
                .append(" retentions=");
        for (int i = 0; i < archives.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(archives.get(i));
        }
        return sb.toString();
    }
}
