package io.tally.query.graph;

import io.tally.query.Params;
import io.tally.query.expr.Series;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.List;

/** Test helpers: series one minute apart from 0, pictures drawn from parameter pairs, pixel statistics. */
final class Pictures {
    static final long STEP = 60;

    private Pictures() {
    }

    static Series series(String name, double... values) {
        return Series.builder(name, 0, values.length * STEP, STEP, values).build();
    }

    static double[] constant(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    static GraphOptions options(String... pairs) {
        Params p = new Params();
        for (int i = 0; i < pairs.length; i += 2) {
            p.add(pairs[i], pairs[i + 1]);
        }
        return GraphOptions.parse(p);
    }

    static long until(List<Series> series) {
        long end = STEP;
        for (Series s : series) {
            end = Math.max(end, s.end());
        }
        return end;
    }

    static byte[] pngBytes(List<Series> series, String... pairs) {
        return GraphRenderer.png(series, options(pairs), 0, until(series), ZoneOffset.UTC);
    }

    static BufferedImage png(List<Series> series, String... pairs) {
        try {
            return ImageIO.read(new ByteArrayInputStream(pngBytes(series, pairs)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String svg(List<Series> series, String... pairs) {
        return new String(GraphRenderer.svg(series, options(pairs), 0, until(series), ZoneOffset.UTC),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Pixels of exactly {@code rgb} (0xRRGGBB). */
    static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels of exactly {@code rgb} in column {@code x}. */
    static int countInColumn(BufferedImage img, int x, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                n++;
            }
        }
        return n;
    }

    /** {minX, minY, maxX, maxY} of the pixels of exactly {@code rgb}, or null when there is none. */
    static int[] bounds(BufferedImage img, int rgb) {
        int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.min(b[1], y);
                    b[2] = Math.max(b[2], x);
                    b[3] = Math.max(b[3], y);
                }
            }
        }
        return b[2] < 0 ? null : b;
    }
}
