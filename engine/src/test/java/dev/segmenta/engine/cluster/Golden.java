package dev.segmenta.engine.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The golden files under {@code src/test/resources/golden/}, written by {@code bench/peers/make_golden.py}. */
final class Golden {

    private Golden() {
    }

    /** A CSV with a header row, as rows of numbers. */
    static double[][] table(String name) {
        List<double[]> rows = new ArrayList<>();
        for (String line : lines(name).subList(1, lines(name).size())) {
            String[] cells = line.split(",");
            double[] row = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = Double.parseDouble(cells[i]);
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    /** A points CSV as float rows (the values were written as float32 with 9 significant digits). */
    static float[][] points(String name) {
        double[][] table = table(name);
        float[][] points = new float[table.length][];
        for (int i = 0; i < table.length; i++) {
            points[i] = new float[table[i].length];
            for (int f = 0; f < table[i].length; f++) {
                points[i][f] = (float) table[i][f];
            }
        }
        return points;
    }

    /** A {@code key=value} file. */
    static Map<String, String> properties(String name) {
        Map<String, String> values = new HashMap<>();
        for (String line : lines(name)) {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return values;
    }

    static int[] ints(String csv) {
        String[] cells = csv.split(",");
        int[] values = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            values[i] = Integer.parseInt(cells[i]);
        }
        return values;
    }

    static float[] floats(String csv) {
        String[] cells = csv.split(",");
        float[] values = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
            values[i] = Float.parseFloat(cells[i]);
        }
        return values;
    }

    private static List<String> lines(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
