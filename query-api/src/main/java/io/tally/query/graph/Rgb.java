package io.tally.query.graph;

/**
 * An sRGB colour with an alpha channel, each 0..255. Parsed from graphite-web's colour spellings: its named colours
 * ({@code blue}, {@code rose}, ...; graphite's own shades, not CSS's), and hex {@code RRGGBB} or {@code RRGGBBAA}
 * with or without a leading {@code #} ({@code %23} in a URL).
 */
public record Rgb(int red, int green, int blue, int alpha) {
    public static final Rgb BLACK = new Rgb(0, 0, 0, 255);
    public static final Rgb WHITE = new Rgb(255, 255, 255, 255);

    public Rgb {
        if ((red | green | blue | alpha) < 0 || red > 255 || green > 255 || blue > 255 || alpha > 255) {
            throw new IllegalArgumentException("colour component out of 0..255");
        }
    }

    /** The colour for {@code text}, or null when it is neither a known name nor hex. */
    public static Rgb parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        Rgb named = named(t);
        if (named != null) {
            return named;
        }
        if (t.startsWith("#")) {
            t = t.substring(1);
        }
        if (t.length() != 6 && t.length() != 8) {
            return null;
        }
        int[] c = new int[4];
        c[3] = 255;
        for (int i = 0; i < t.length() / 2; i++) {
            int hi = Character.digit(t.charAt(2 * i), 16);
            int lo = Character.digit(t.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            c[i] = hi * 16 + lo;
        }
        return new Rgb(c[0], c[1], c[2], c[3]);
    }

    private static Rgb named(String t) {
        return switch (t) {
            case "black" -> BLACK;
            case "white" -> WHITE;
            case "blue" -> new Rgb(100, 100, 255, 255);
            case "green" -> new Rgb(0, 200, 0, 255);
            case "red" -> new Rgb(255, 0, 0, 255);
            case "yellow" -> new Rgb(255, 255, 0, 255);
            case "orange" -> new Rgb(255, 165, 0, 255);
            case "purple" -> new Rgb(200, 100, 255, 255);
            case "brown" -> new Rgb(150, 100, 50, 255);
            case "cyan" -> new Rgb(0, 255, 255, 255);
            case "aqua" -> new Rgb(0, 150, 150, 255);
            case "gray", "grey" -> new Rgb(175, 175, 175, 255);
            case "magenta" -> new Rgb(255, 0, 255, 255);
            case "pink" -> new Rgb(255, 100, 100, 255);
            case "gold" -> new Rgb(200, 200, 0, 255);
            case "rose" -> new Rgb(200, 150, 200, 255);
            case "darkblue" -> new Rgb(0, 0, 255, 255);
            case "darkgreen" -> new Rgb(0, 255, 0, 255);
            case "darkred" -> new Rgb(200, 0, 50, 255);
            case "darkgray", "darkgrey" -> new Rgb(111, 111, 111, 255);
            default -> null;
        };
    }

    /** The same colour with its alpha multiplied by {@code factor} (0..1; NaN leaves it). */
    public Rgb fade(double factor) {
        if (Double.isNaN(factor) || factor >= 1) {
            return this;
        }
        return new Rgb(red, green, blue, (int) Math.round(alpha * Math.max(0, factor)));
    }

    /** {@code #rrggbb}, without alpha. */
    public String hex() {
        return String.format("#%02x%02x%02x", red, green, blue);
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return (red << 16) | (green << 8) | blue;
    }

    public double opacity() {
        return alpha / 255.0;
    }
}
