package io.tally.ingest;

/** Renders untrusted bytes for a log line: printable ASCII as is, everything else escaped, truncated. */
final class Quote {
    static final int MAX_SHOWN = 400;

    private Quote() {
    }

    static String bytes(byte[] b, int from, int to) {
        int end = Math.min(to, from + MAX_SHOWN);
        StringBuilder sb = new StringBuilder(Math.max(0, end - from) + 16).append('\'');
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xFF;
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append((char) c);
                    } else {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
                }
            }
        }
        sb.append('\'');
        if (to > end) {
            sb.append("... (").append(to - from).append(" bytes)");
        }
        return sb.toString();
    }
}
