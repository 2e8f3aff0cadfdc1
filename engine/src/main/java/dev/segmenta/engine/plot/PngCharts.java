package dev.segmenta.engine.plot;

import dev.segmenta.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Charts drawn without a display (batch jobs and servers have none) and written as PNG files
 * atomically, like every other output.
 */
public final class PngCharts {

    private PngCharts() {
    }

    /**
     * A line chart in the house style (white background, no legend unless asked). Every chart is
     * made here, so AWT is told it is headless before any of its classes start.
     */
    static XYChart lineChart(int width, int height, String title, String xTitle, String yTitle) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
        chart.getStyler()
                .setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setLegendVisible(false)
                .setChartTitleBoxVisible(false)
                .setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /**
     * Writes {@code chart} to {@code target} as PNG: a temporary file beside it, then a rename. The image
     * is encoded in memory first: ImageIO reports a failed write as "I/O error writing PNG file!", without
     * the file system's reason (a full disk), which the plain write keeps.
     */
    static void write(XYChart chart, Path target) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        byte[] bytes = png.toByteArray();
        AtomicFiles.write(target, out -> out.write(bytes));
    }

    /** Whether {@code target} names a PNG file, for checking an option before long work. */
    public static boolean isPng(Path target) {
        return target.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png");
    }
}
