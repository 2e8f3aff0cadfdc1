package dev.segmenta.engine.plot;

import dev.segmenta.engine.cluster.KDistance;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The sorted k-distance curve with the suggested eps marked, as a PNG. */
public final class KDistanceChart {

    /** Points drawn at most; the curve is monotone, so evenly spaced ranks lose nothing visible. */
    private static final int MAX_POINTS = 2000;

    private KDistanceChart() {
    }

    public static void write(KDistance.Curve curve, Path target) throws IOException {
        float[] distances = curve.distances();
        int q = distances.length;
        int points = Math.min(q, MAX_POINTS);
        double[] share = new double[points];
        double[] value = new double[points];
        for (int i = 0; i < points; i++) {
            int at = points == 1 ? 0 : (int) Math.round((double) i * (q - 1) / (points - 1));
            share[i] = 100.0 * (at + 1) / q;
            value[i] = distances[at];
        }
        String title = String.format(Locale.ROOT, "%d-distance of %,d customers: suggested eps %.4g (%.1f%% would be core points)",
                curve.minSamples(), q, curve.suggestedEps(), 100 * curve.coreShare());
        XYChart chart = PngCharts.lineChart(1000, 600, title, "customers, sorted by k-distance (%)",
                "distance to the " + ordinal(curve.minSamples()) + " nearest customer (itself included)");
        XYSeries series = chart.addSeries("k-distance", share, value);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(new Color(0x1F77B4));
        series.setLineStyle(SeriesLines.SOLID);
        double kneeShare = 100.0 * (curve.knee() + 1) / q;
        XYSeries eps = chart.addSeries("suggested eps", new double[] {0, kneeShare, kneeShare},
                new double[] {curve.suggestedEps(), curve.suggestedEps(), 0});
        eps.setMarker(SeriesMarkers.NONE);
        eps.setLineColor(new Color(0xD62728));
        eps.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(100.0).setYAxisMin(0.0).setLegendVisible(true);
        PngCharts.write(chart, target);
    }

    private static String ordinal(int k) {
        int mod100 = k % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (k % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return k + suffix;
    }
}
