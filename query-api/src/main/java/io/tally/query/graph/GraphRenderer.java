package io.tally.query.graph;

import io.tally.query.expr.Series;

import java.time.ZoneId;
import java.util.List;

/**
 * Pictures of render results: {@code format=png} (java.awt, headless) and {@code format=svg} (SVG text written
 * directly). Both draw the same {@link LineGraph} layout. Framework-free and CPU-bound: call it on a worker
 * thread, never on an event loop. Thread-safe (every call draws on its own canvas).
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless the process already chose a value, so that no
 * display is ever needed.
 */
public final class GraphRenderer {
    static {
        headless();
        javax.imageio.ImageIO.setUseCache(false); // encode in memory, never through temporary files
    }

    private GraphRenderer() {
    }

    /** Asks AWT for headless mode unless the process chose; must run before the first AWT class loads. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * @param from  the request's start (epoch seconds), the time axis when no series has data
     * @param until the request's end
     * @param zone  the zone of the time labels
     * @throws io.tally.query.BadRequestException when a series carries a colour that cannot be parsed
     */
    public static byte[] png(List<Series> series, GraphOptions options, long from, long until, ZoneId zone) {
        PngCanvas canvas = new PngCanvas(options.width, options.height, options.fontItalic);
        new LineGraph(options, canvas, zone).draw(series, from, until);
        return canvas.png();
    }

    /** As {@link #png}, as an SVG document (UTF-8). */
    public static byte[] svg(List<Series> series, GraphOptions options, long from, long until, ZoneId zone) {
        SvgCanvas canvas = new SvgCanvas(options.width, options.height, options.title, options.fontItalic);
        new LineGraph(options, canvas, zone).draw(series, from, until);
        return canvas.svg();
    }
}
