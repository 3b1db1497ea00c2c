package io.tally.alerting;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A silence (Alertmanager model, spec 4.4): all matchers must match the instance's labels ({@code alert},
 * {@code region}, {@code group} and the alert's own labels); active in {@code [startsAt, endsAt)}.
 */
public record Silence(String id, List<Matcher> matchers, long startsAt, long endsAt, String createdBy,
                      String comment, Effect effect) {

    public Silence {
        matchers = List.copyOf(matchers);
    }

    public enum Effect { REPORT_OK, ANNOTATE }

    public boolean activeAt(long millis) {
        return millis >= startsAt && millis < endsAt;
    }

    public boolean matches(Map<String, String> labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    /** {@code name op value}; op is {@code =}, {@code !=}, {@code =~} or {@code !~} (regex, anchored). */
    public record Matcher(String name, String op, String value, Pattern pattern) {

        public static Matcher of(String name, String op, String value) {
            Pattern p = op.endsWith("~") ? Pattern.compile(value) : null;
            if (!op.equals("=") && !op.equals("!=") && p == null) {
                throw new IllegalArgumentException("matcher op must be =, !=, =~ or !~");
            }
            return new Matcher(name, op, value, p);
        }

        boolean matches(String v) {
            String s = v == null ? "" : v;
            return switch (op) {
                case "=" -> s.equals(value);
                case "!=" -> !s.equals(value);
                case "=~" -> pattern.matcher(s).matches();
                default -> !pattern.matcher(s).matches();
            };
        }
    }
}
