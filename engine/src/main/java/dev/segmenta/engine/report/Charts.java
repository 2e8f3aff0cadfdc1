package dev.segmenta.engine.report;

import dev.segmenta.engine.eval.Elbow;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.eval.Silhouette;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's plots as PNG images, drawn by XChart off screen. Segment {@code j} has the same colour
 * in every plot. Java2D runs headless: no display is needed or used.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Tableau's 10-colour palette, distinguishable in print and by most colour-blind readers; repeats beyond 10. */
    private static final Color[] PALETTE = {
            new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
            new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Charts() {
    }

    /** The colour of segment {@code j}, as CSS. */
    public static String cssColour(int segment) {
        Color c = colour(segment);
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static Color colour(int segment) {
        return PALETTE[segment % PALETTE.length];
    }

    /** Inertia against k with the suggested knee marked. */
    public static byte[] elbow(Elbow.Result elbow) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Inertia by number of segments")
                .xAxisTitle("k (segments)").yAxisTitle("inertia (scaled space)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        double[] k = elbow.points().stream().mapToDouble(Elbow.Point::k).toArray();
        double[] inertia = elbow.points().stream().mapToDouble(Elbow.Point::inertia).toArray();
        XYSeries curve = chart.addSeries("inertia", k, inertia);
        curve.setMarker(SeriesMarkers.CIRCLE);
        curve.setLineColor(PALETTE[0]);
        curve.setMarkerColor(PALETTE[0]);
        if (elbow.knee().isPresent()) {
            int i = elbow.knee().getAsInt();
            XYSeries knee = chart.addSeries("suggested k = " + (int) k[i] + " (Kneedle)", new double[] {k[i]},
                    new double[] {inertia[i]});
            knee.setMarker(SeriesMarkers.DIAMOND);
            knee.setMarkerColor(PALETTE[2]);
            knee.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        } else {
            curve.setShowInLegend(false);
        }
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return png(chart);
    }

    /** Customers per segment. */
    public static byte[] sizes(List<SegmentProfile> profiles) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Customers per segment")
                .xAxisTitle("segment").yAxisTitle("customers").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setOverlapped(true);
        int k = profiles.size();
        for (SegmentProfile p : profiles) {
            List<String> x = new ArrayList<>();
            List<Number> y = new ArrayList<>();
            for (SegmentProfile q : profiles) {
                x.add(Integer.toString(q.segment()));
                y.add(q.segment() == p.segment() ? q.size() : 0);
            }
            chart.addSeries("segment " + p.segment(), x, y).setFillColor(colour(p.segment()));
        }
        chart.getStyler().setAvailableSpaceFill(k <= 3 ? 0.4 : 0.8);
        return png(chart);
    }

    /**
     * The silhouette plot (Rousseeuw 1987) on the scored customers: per segment, their silhouettes
     * sorted from highest to lowest as a filled profile, segments side by side, and the overall score
     * as a dashed line.
     */
    public static byte[] silhouette(Silhouette.Estimate s, int k) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(s.exact() ? "Silhouette of every customer" : String.format(Locale.ROOT,
                        "Silhouette of a stratified sample of %,d customers", s.sampleSize()))
                .xAxisTitle("scored customers, grouped by segment, highest silhouette first").yAxisTitle("silhouette")
                .build();
        style(chart.getStyler());
        chart.getStyler().setXAxisTicksVisible(false);
        chart.getStyler().setYAxisMin(Math.min(0, minimum(s.values())));
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(0);
        int offset = 0;
        int gap = Math.max(1, s.sampleSize() / 100);
        for (int j = 0; j < k; j++) {
            float[] mine = valuesOf(s, j);
            if (mine.length == 0) {
                continue;
            }
            Arrays.sort(mine);
            double[] x = new double[mine.length + 2];
            double[] y = new double[mine.length + 2];
            x[0] = offset;
            for (int i = 0; i < mine.length; i++) {
                x[i + 1] = offset + i;
                y[i + 1] = mine[mine.length - 1 - i];
            }
            x[mine.length + 1] = offset + mine.length - 1;
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "segment %d (%.2f)", j, s.segmentMeans()[j]),
                    x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            series.setMarker(SeriesMarkers.NONE);
            series.setFillColor(colour(j));
            series.setLineColor(colour(j));
            offset += mine.length + gap;
        }
        XYSeries mean = chart.addSeries(String.format(Locale.ROOT, "score %.3f", s.value()),
                new double[] {0, Math.max(1, offset - gap)}, new double[] {s.value(), s.value()});
        mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mean.setMarker(SeriesMarkers.NONE);
        mean.setLineColor(Color.BLACK);
        mean.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        return png(chart);
    }

    /**
     * Each segment's standardised difference from the population per feature, red above and blue below
     * the population mean, on a scale symmetric about 0.
     */
    public static byte[] profileHeatMap(List<SegmentProfile> profiles, List<String> features) {
        int d = features.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 90 + 42 * profiles.size()))
                .title("Segment mean minus population mean, in standard deviations").xAxisTitle("feature")
                .yAxisTitle("segment").build();
        style(chart.getStyler());
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("+0.0;-0.0");
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setXAxisLabelRotation(d > 6 ? 30 : 0);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x2166AC), new Color(0xF7F7F7), new Color(0xB2182B)});
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double bound = 0.5;
        List<Number[]> heat = new ArrayList<>();
        int k = profiles.size();
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                double z = profiles.get(j).standardisedDifferences()[f];
                double value = Double.isNaN(z) ? 0 : z;
                bound = Math.max(bound, Math.abs(value));
                // Rows count up from the bottom; segment 0 goes on top, as in the tables.
                heat.add(new Number[] {f, k - 1 - j, value});
            }
        }
        double rounded = Math.ceil(bound * 2) / 2;
        chart.getStyler().setMin(-rounded);
        chart.getStyler().setMax(rounded);
        List<String> segments = new ArrayList<>();
        for (int j = k - 1; j >= 0; j--) {
            segments.add(Integer.toString(profiles.get(j).segment()));
        }
        chart.addSeries("standardised difference", features, segments, heat);
        return png(chart);
    }

    /**
     * Customers on the first two principal components, coloured by segment.
     *
     * @param x        first component of each plotted customer
     * @param y        second component
     * @param segments segment of each
     * @param ratios   explained variance ratio of the two components, for the axis titles
     */
    public static byte[] projection(float[] x, float[] y, int[] segments, int k, double[] ratios) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT + 120)
                .title(String.format(Locale.ROOT, "%,d customers on the first two principal components", x.length))
                .xAxisTitle(String.format(Locale.ROOT, "pc1 (%.1f%% of variance)", 100 * ratios[0]))
                .yAxisTitle(String.format(Locale.ROOT, "pc2 (%.1f%% of variance)", 100 * ratios[1])).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (int j = 0; j < k; j++) {
            int count = 0;
            for (int s : segments) {
                if (s == j) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            double[] px = new double[count];
            double[] py = new double[count];
            for (int i = 0, t = 0; i < segments.length; i++) {
                if (segments[i] == j) {
                    px[t] = x[i];
                    py[t++] = y[i];
                }
            }
            XYSeries series = chart.addSeries("segment " + j, px, py);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(translucent(colour(j)));
        }
        return png(chart);
    }

    private static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
    }

    private static float[] valuesOf(Silhouette.Estimate s, int segment) {
        int count = 0;
        for (int label : s.segments()) {
            if (label == segment) {
                count++;
            }
        }
        float[] values = new float[count];
        for (int i = 0, t = 0; i < s.segments().length; i++) {
            if (s.segments()[i] == segment) {
                values[t++] = s.values()[i];
            }
        }
        return values;
    }

    private static double minimum(float[] values) {
        double min = 0;
        for (float v : values) {
            min = Math.min(min, v);
        }
        return Math.floor(min * 10) / 10;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setBaseFont(BASE);
        styler.setChartTitleFont(BASE.deriveFont(Font.BOLD, 15f));
        styler.setLegendFont(BASE);
        styler.setLegendBorderColor(new Color(0xDDDDDD));
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
        if (styler instanceof AxesChartStyler axes) {
            axes.setAxisTitleFont(BASE);
            axes.setAxisTickLabelsFont(BASE.deriveFont(12f));
            axes.setPlotGridLinesColor(new Color(0xE6E6E6));
        }
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a chart as PNG", e);
        }
    }
}
