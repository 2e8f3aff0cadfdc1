package dev.segmenta.engine.plot;

import dev.segmenta.engine.cluster.Dendrogram;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A dendrogram as a PNG, truncated to its top {@code p} clusters as scipy's
 * {@code dendrogram(Z, truncate_mode='lastp', p=p)} draws it: the clusters left after all but the
 * last {@code p - 1} merges are the leaves, labelled with their sizes ("(1234)") or, for a single
 * point, its number ("#17"). Merges below a cut are coloured by the segment they end up in; the cut
 * is a dashed line.
 */
public final class DendrogramChart {

    /** The most leaves drawn: beyond this the labels no longer fit beside each other. */
    public static final int MAX_LEAVES = 200;

    private static final Color[] PALETTE = {
            new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
            new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};
    private static final Color ABOVE_CUT = new Color(0x303030);

    private DendrogramChart() {
    }

    /**
     * @param shownLeaves the {@code p} of scipy's truncation, 2 to {@value #MAX_LEAVES}
     * @param cutClusters the segments of the cut, or 0 for no cut
     * @param cutHeight   where to draw the cut
     */
    public static void write(Dendrogram z, int shownLeaves, int cutClusters, double cutHeight, String title,
                             Path target) throws IOException {
        int n = z.leaves();
        int p = Math.min(Math.max(shownLeaves, 1), Math.min(n, MAX_LEAVES));
        int firstShown = n - p;
        int[] representative = new int[Math.max(0, z.merges())];
        for (int i = 0; i < z.merges(); i++) {
            int l = z.left(i);
            representative[i] = l < n ? l : representative[l - n];
        }
        int[] segment = cutClusters > 1 ? z.cut(cutClusters) : null;

        double[] x = new double[2 * n - 1];
        double[] y = new double[2 * n - 1];
        double maxHeight = z.merges() == 0 ? 1 : Math.max(z.height(z.merges() - 1), 1e-12);
        XYChart chart = PngCharts.lineChart(Math.max(900, 48 * p + 160), 650, title,
                "clusters (size) or customers (#number)", "merge height");
        placeLeaves(z, 2 * n - 2, firstShown, x, y, chart, -0.04 * maxHeight, new int[] {0});
        for (int i = firstShown; i < z.merges(); i++) {
            int id = n + i;
            int l = z.left(i);
            int r = z.right(i);
            x[id] = (x[l] + x[r]) / 2;
            y[id] = z.height(i);
            XYSeries u = chart.addSeries("merge " + i, new double[] {x[l], x[l], x[r], x[r]},
                    new double[] {y[l], y[id], y[id], y[r]});
            u.setMarker(SeriesMarkers.NONE);
            boolean belowCut = segment != null && i < n - cutClusters;
            u.setLineColor(belowCut ? PALETTE[segment[representative[i]] % PALETTE.length] : ABOVE_CUT);
            u.setLineStyle(SeriesLines.SOLID);
            u.setLineWidth(1.4f);
        }
        if (cutClusters > 0 && z.merges() > 0) {
            XYSeries cut = chart.addSeries("cut", new double[] {0.5, p + 0.5}, new double[] {cutHeight, cutHeight});
            cut.setMarker(SeriesMarkers.NONE);
            cut.setLineColor(new Color(0xD62728));
            cut.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        // The leaf labels sit below height 0; the axis shows no heights there.
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(p + 0.5).setYAxisMin(-0.08 * maxHeight)
                .setYAxisMax(1.05 * maxHeight).setXAxisTicksVisible(false)
                .setyAxisTickLabelsFormattingFunction(v -> v < 0 ? " " : new BigDecimal(String.format(Locale.ROOT, "%.4g", v))
                        .stripTrailingZeros().toPlainString());
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        PngCharts.write(chart, target);
    }

    /** Numbers the shown leaves left to right (left child first) and labels them under the axis. */
    private static void placeLeaves(Dendrogram z, int root, int firstShown, double[] x, double[] y, XYChart chart,
                                    double labelY, int[] next) {
        int n = z.leaves();
        int[] stack = new int[2 * n];
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int id = stack[--top];
            if (id < n || id - n < firstShown) {
                x[id] = ++next[0];
                y[id] = 0;
                String label = id < n ? "#" + id : String.format(Locale.ROOT, "(%.0f)", z.size(id - n));
                chart.addAnnotation(new AnnotationText(label, x[id], labelY, false));
                continue;
            }
            stack[top++] = z.right(id - n);
            stack[top++] = z.left(id - n);
        }
    }
}
