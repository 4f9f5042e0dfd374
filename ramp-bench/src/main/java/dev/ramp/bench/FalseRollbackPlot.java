package dev.ramp.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the share of healthy canaries each judge has rolled back, against time, as a PNG: the plot in
 * docs/analysis.md. Plain Java2D, headless.
 */
final class FalseRollbackPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    /** Distinguishable for colour-blind readers (Okabe and Ito). */
    private static final Color[] COLOURS = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7)
    };

    private FalseRollbackPlot() {}

    /**
     * @param firstFailures per canary, per judge: the second of the first failure, or -1
     */
    static void write(Path file, List<String> judges, int[][] firstFailures, int seconds, double alpha) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[][] shares = new double[judges.size()][seconds + 1];
        for (int judge = 0; judge < judges.size(); judge++) {
            for (int[] canary : firstFailures) {
                if (canary[judge] >= 0) {
                    shares[judge][canary[judge]] += 1.0 / firstFailures.length;
                }
            }
            for (int second = 1; second <= seconds; second++) {
                shares[judge][second] += shares[judge][second - 1];
            }
        }
        double top = alpha;
        for (double[] share : shares) {
            top = Math.max(top, share[seconds]);
        }
        top = Math.ceil(top * 10) / 10;

        BufferedImage image = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, 2 * HEIGHT);
        panel(g, 0, String.format(Locale.ROOT, "Healthy canaries rolled back (%,d canaries, 2 metrics)",
                firstFailures.length), judges, shares, seconds, alpha, top, true);
        panel(g, HEIGHT, String.format(Locale.ROOT, "The same, up to %.0f%%", 300 * alpha), judges, shares, seconds,
                alpha, 3 * alpha, false);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int offset, String title, List<String> judges, double[][] shares,
            int seconds, double alpha, double top, boolean legend) {
        g.setStroke(new BasicStroke(1f));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0xDDDDDD));
        for (int tick = 0; tick <= 10; tick++) {
            int y = (offset + TOP) + plotHeight - tick * plotHeight / 10;
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, (offset + TOP), plotWidth, plotHeight);
        for (int tick = 0; tick <= 10; tick++) {
            int y = (offset + TOP) + plotHeight - tick * plotHeight / 10;
            String label = String.format(Locale.ROOT, top < 0.1 ? "%.1f%%" : "%.0f%%", 100 * top * tick / 10);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
            int x = LEFT + tick * plotWidth / 10;
            String time = String.valueOf(seconds * tick / 10);
            g.drawString(time, x - g.getFontMetrics().stringWidth(time) / 2, (offset + TOP) + plotHeight + 20);
        }
        g.drawString("seconds since the canary started", LEFT + plotWidth / 2 - 100, offset + HEIGHT - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, (offset + TOP) - 14);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int alphaY = (offset + TOP) + plotHeight - (int) Math.round(alpha / top * plotHeight);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(LEFT, alphaY, LEFT + plotWidth, alphaY);
        g.drawString(String.format(Locale.ROOT, "α = %.0f%%", 100 * alpha), LEFT + plotWidth - 60, alphaY - 6);

        g.setStroke(new BasicStroke(2.5f));
        for (int judge = 0; judge < judges.size(); judge++) {
            Path2D line = new Path2D.Double();
            for (int second = 0; second <= seconds; second++) {
                double x = LEFT + (double) second / seconds * plotWidth;
                double y = (offset + TOP) + plotHeight - Math.min(1, shares[judge][second] / top) * plotHeight;
                if (second == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.setColor(COLOURS[judge % COLOURS.length]);
            g.draw(line);
        }
        if (legend) {
            int width = 0;
            for (int judge = 0; judge < judges.size(); judge++) {
                width = Math.max(width, g.getFontMetrics().stringWidth(legendLine(judges, shares, judge, seconds)));
            }
            g.setColor(new Color(255, 255, 255, 230));
            g.fillRect(LEFT + 8, offset + TOP + 6, width + 48, judges.size() * 20 + 8);
            for (int judge = 0; judge < judges.size(); judge++) {
                int legendY = offset + TOP + 22 + judge * 20;
                g.setColor(COLOURS[judge % COLOURS.length]);
                g.fillRect(LEFT + 14, legendY - 9, 22, 4);
                g.setColor(Color.BLACK);
                g.drawString(legendLine(judges, shares, judge, seconds), LEFT + 44, legendY);
            }
        }
    }

    private static String legendLine(List<String> judges, double[][] shares, int judge, int seconds) {
        return String.format(Locale.ROOT, "%s: %.2f%%", judges.get(judge), 100 * shares[judge][seconds]);
    }
}
