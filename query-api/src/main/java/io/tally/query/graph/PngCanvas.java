package io.tally.query.graph;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link Canvas} on an RGB {@link BufferedImage}, antialiased, encoded as PNG by ImageIO. Headless: the AWT
 * toolkit is never shown; {@link GraphRenderer} sets {@code java.awt.headless=true} before the first use unless the
 * process chose otherwise. Text uses the JDK's logical {@code SansSerif} font (fontconfig maps it to an installed
 * face); if the platform has no font at all, pictures are still drawn, without text ({@link #TEXT}).
 */
final class PngCanvas implements Canvas {
    /** Whether text can be drawn here (false on a system without any font); probed once. */
    static final boolean TEXT;

    static {
        GraphRenderer.headless();
        TEXT = probeText();
    }

    private final BufferedImage image;
    private final Graphics2D g;
    private final Font[] fonts = new Font[2]; // plain, bold
    private final Path2D.Double path = new Path2D.Double();
    private final Line2D.Double segment = new Line2D.Double();
    private final Rectangle2D.Double rect = new Rectangle2D.Double();
    private final boolean italic;

    PngCanvas(int width, int height, boolean italic) {
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.g = image.createGraphics();
        this.italic = italic;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    private static boolean probeText() {
        try {
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = probe.createGraphics();
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString("0", 0, 0);
            boolean ok = g.getFontMetrics().stringWidth("00") > 0;
            g.dispose();
            return ok;
        } catch (RuntimeException | Error e) { // no font configuration on this platform
            return false;
        }
    }

    private static Color awt(Rgb c) {
        return new Color(c.red(), c.green(), c.blue(), c.alpha());
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Rgb color) {
        g.setColor(awt(color));
        rect.setRect(x, y, w, h);
        g.fill(rect);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb color, double width) {
        g.setColor(awt(color));
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        segment.setLine(x1, y1, x2, y2);
        g.draw(segment);
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, Rgb color, double width, double dash) {
        if (n < 1) {
            return;
        }
        g.setColor(awt(color));
        g.setStroke(dash > 0
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[]{(float) dash, (float) dash}, 0f)
                : new BasicStroke((float) width, n == 1 ? BasicStroke.CAP_SQUARE : BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_ROUND));
        path.reset();
        path.moveTo(xs[0], ys[0]);
        if (n == 1) {
            path.lineTo(xs[0], ys[0]); // a lone point: a square dot of the line width
        }
        for (int i = 1; i < n; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.draw(path);
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, Rgb color) {
        if (n < 3) {
            return;
        }
        g.setColor(awt(color));
        path.reset();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < n; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        path.closePath();
        g.fill(path);
    }

    private Font font(double size, boolean bold) {
        int slot = bold ? 1 : 0;
        Font f = fonts[slot];
        if (f == null || f.getSize2D() != (float) size) {
            int style = (bold ? Font.BOLD : Font.PLAIN) | (italic ? Font.ITALIC : 0);
            f = new Font(Font.SANS_SERIF, style, 1).deriveFont((float) size);
            fonts[slot] = f;
        }
        return f;
    }

    @Override
    public void text(String s, double x, double y, Anchor anchor, double size, boolean bold, Rgb color,
                     boolean vertical) {
        if (!TEXT || s.isEmpty()) {
            return;
        }
        Font f = font(size, bold);
        g.setFont(f);
        g.setColor(awt(color));
        FontMetrics m = g.getFontMetrics(f);
        double w = m.stringWidth(s);
        double dx = switch (anchor) {
            case START -> 0;
            case MIDDLE -> -w / 2;
            case END -> -w;
        };
        double dy = (m.getAscent() - m.getDescent()) / 2.0;
        if (vertical) {
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            g.rotate(-Math.PI / 2);
            g.drawString(s, (float) dx, (float) dy);
            g.setTransform(saved);
        } else {
            g.drawString(s, (float) (x + dx), (float) (y + dy));
        }
    }

    @Override
    public double textWidth(String s, double size, boolean bold) {
        if (!TEXT) {
            return SvgCanvas.estimateWidth(s, size, bold);
        }
        return g.getFontMetrics(font(size, bold)).stringWidth(s);
    }

    @Override
    public void clip(double x, double y, double w, double h) {
        g.setClip(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void unclip() {
        g.setClip(null);
    }

    @Override
    public void begin(String group, String label) {
        // groups only structure SVG
    }

    @Override
    public void end() {
        // groups only structure SVG
    }

    /** The picture so far, for tests. */
    BufferedImage image() {
        return image;
    }

    /** Finishes drawing and encodes the picture. */
    byte[] png() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
