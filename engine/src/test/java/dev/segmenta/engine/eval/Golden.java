package dev.segmenta.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The small datasets and scikit-learn's answers on them, from {@code bench/peers/golden_eval.py}. */
public record Golden(String name, int k, float[][] points, int[] labels, JsonNode expected) {

    public static List<Golden> cases() {
        try (InputStream in = Golden.class.getResourceAsStream("golden.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Golden> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                JsonNode rows = c.get("points");
                float[][] points = new float[rows.size()][];
                for (int i = 0; i < points.length; i++) {
                    points[i] = new float[rows.get(i).size()];
                    for (int f = 0; f < points[i].length; f++) {
                        points[i][f] = (float) rows.get(i).get(f).asDouble();
                    }
                }
                int[] labels = new int[points.length];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = c.get("labels").get(i).asInt();
                }
                cases.add(new Golden(c.get("name").asText(), c.get("k").asInt(), points, labels, c));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The points in blocks of {@code blockRows} rows. */
    public Dataset dataset(int blockRows) {
        return TestData.dataset(points, blockRows);
    }

    /** The labels cut into the same blocks. */
    public int[][] blockLabels(int blockRows) {
        int blocks = (labels.length + blockRows - 1) / blockRows;
        int[][] out = new int[blocks][];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockRows;
            out[b] = Arrays.copyOfRange(labels, from, Math.min(labels.length, from + blockRows));
        }
        return out;
    }

    public double value(String field) {
        return expected.get(field).asDouble();
    }

    public double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    @Override
    public String toString() {
        return name;
    }
}
