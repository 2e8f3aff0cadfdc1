package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Names for segments that a CRM user can read, such as {@code "high annual_spend, low recency_days"}:
 * each segment is named after the features on which its centroid lies furthest from the population
 * mean, in population standard deviations ({@code z = (centroid − mean) / sd}, in the prepared
 * units, i.e. after log1p). Features with {@code |z| <} {@value #MENTION} are not mentioned; a
 * segment close to the mean on every feature is {@code "typical"}. Two features are named, more when
 * two segments would otherwise share a name, and a name still shared gets the segment number.
 *
 * <p>A labels file ({@code --labels}) overrides any of them: a JSON object from segment number to
 * name, e.g. {@code {"0": "Champions", "3": "At risk"}}.
 */
public final class SegmentLabels {

    /** Smallest |z| worth naming: half a standard deviation. */
    public static final double MENTION = 0.5;
    private static final int NAMED = 2;
    private static final int MOST_NAMED = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentLabels() {
    }

    /** {@code "segment 0"}, {@code "segment 1"}, …: the labels of models written before labels existed. */
    public static List<String> numbered(int k) {
        return IntStream.range(0, k).mapToObj(j -> "segment " + j).toList();
    }

    /**
     * @param centroids {@code k} rows in the scaled space
     * @param scaling   maps them back to the prepared units
     * @param stats     the prepared features' population statistics
     */
    public static List<String> generate(List<String> features, float[][] centroids, Scaling scaling, FeatureStats stats) {
        int k = centroids.length;
        int d = features.size();
        List<List<Integer>> ranked = new ArrayList<>();
        double[][] z = new double[k][d];
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                double sd = Math.sqrt(stats.variance()[f]);
                z[j][f] = sd > 0 ? (scaling.invert(f, centroids[j][f]) - stats.mean()[f]) / sd : 0;
            }
            double[] zj = z[j];
            ranked.add(IntStream.range(0, d).boxed().filter(f -> Math.abs(zj[f]) >= MENTION)
                    .sorted(Comparator.comparingDouble((Integer f) -> -Math.abs(zj[f])).thenComparing(f -> f)).toList());
        }
        String[] labels = new String[k];
        for (int named = NAMED; named <= MOST_NAMED; named++) {
            for (int j = 0; j < k; j++) {
                labels[j] = label(features, z[j], ranked.get(j), named);
            }
            if (duplicated(labels).isEmpty()) {
                return List.of(labels);
            }
        }
        Set<String> shared = duplicated(labels);
        for (int j = 0; j < k; j++) {
            if (shared.contains(labels[j])) {
                labels[j] = labels[j] + " (segment " + j + ")";
            }
        }
        return List.of(labels);
    }

    private static String label(List<String> features, double[] z, List<Integer> ranked, int named) {
        if (ranked.isEmpty()) {
            return "typical";
        }
        List<String> parts = new ArrayList<>();
        for (int f : ranked.subList(0, Math.min(named, ranked.size()))) {
            parts.add((z[f] > 0 ? "high " : "low ") + features.get(f));
        }
        return String.join(", ", parts);
    }

    private static Set<String> duplicated(String[] labels) {
        Set<String> seen = new HashSet<>();
        Set<String> shared = new HashSet<>();
        for (String label : labels) {
            if (!seen.add(label)) {
                shared.add(label);
            }
        }
        return shared;
    }

    /**
     * {@code labels} with those named in the JSON file {@code file} replaced.
     *
     * @throws BadInputException for a missing or malformed file, a segment number outside {@code [0, k)},
     *                           or an empty name
     */
    public static List<String> override(List<String> labels, Path file) {
        Map<String, String> given;
        try {
            given = JSON.readValue(Files.readAllBytes(file), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such labels file; give a JSON object such as {\"0\": \"Champions\"}");
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not a labels file (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage() + "; give a JSON object from segment number to name, such as "
                    + "{\"0\": \"Champions\", \"1\": \"At risk\"}");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the labels file: " + e.getMessage());
        }
        List<String> result = new ArrayList<>(labels);
        for (Map.Entry<String, String> entry : given.entrySet()) {
            int segment;
            try {
                segment = Integer.parseInt(entry.getKey().trim());
            } catch (NumberFormatException e) {
                segment = -1;
            }
            if (segment < 0 || segment >= labels.size()) {
                throw new BadInputException(file + ": '" + entry.getKey() + "' is not a segment of this model; "
                        + String.format(Locale.ROOT, "segments are 0 to %d", labels.size() - 1));
            }
            if (entry.getValue() == null || entry.getValue().isBlank()) {
                throw new BadInputException(file + ": segment " + segment + " has an empty name; give it a name or leave it out");
            }
            result.set(segment, entry.getValue().strip());
        }
        return List.copyOf(result);
    }
}
