package dev.segmenta.engine.eval;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How good a segmentation is on a set of customers, and what its segments look like: the silhouette
 * (exact or estimated), Calinski-Harabasz, Davies-Bouldin and inertia in the model's space, and the
 * segment profiles in original units. What {@code segmenta evaluate} prints and the report shows.
 *
 * @param inertia Σ of squared distances to the assigned centroids, in the model's space
 * @param seconds wall time of each part
 */
public record Evaluation(long rows, int k, int nonEmptySegments, double inertia, Silhouette.Estimate silhouette,
                         double calinskiHarabasz, double daviesBouldin, List<SegmentProfile> profiles,
                         Seconds seconds) {

    /** Where the time went: the silhouette, Calinski-Harabasz with Davies-Bouldin, and the profiles. */
    public record Seconds(double silhouette, double separation, double profiles) { }

    /**
     * @param silhouetteSample customers to score for the silhouette estimate, or 0 for the exact score
     * @param source           the input's name, for messages
     * @throws BadInputException when the customers fall into fewer than 2 segments, or into as many
     *                           segments as there are customers: the metrics are undefined there
     */
    public static Evaluation of(SegmentModel model, Segmenter.Assigned assigned, int silhouetteSample, long seed,
                                KMeansKernels kernels, BlockExecutor executor, String source) {
        int k = model.k();
        ClusterMoments moments = ClusterMoments.of(assigned.space(), assigned.labels(), k, executor);
        int nonEmpty = moments.nonEmpty();
        long rows = moments.rows();
        if (nonEmpty < 2) {
            throw new BadInputException(source + ": all " + rows + " customers fall into one segment of the model; "
                    + "silhouette, Calinski-Harabasz and Davies-Bouldin need customers in at least 2 segments");
        }
        if (nonEmpty >= rows) {
            throw new BadInputException(source + ": its " + rows + " customers fall into " + nonEmpty
                    + " segments, one each; the quality metrics need fewer segments than customers, so give more customers");
        }
        long start = System.nanoTime();
        Silhouette.Estimate silhouette = silhouetteSample == 0
                ? Silhouette.exact(assigned.space(), assigned.labels(), k, kernels, executor)
                : Silhouette.estimate(assigned.space(), assigned.labels(), k, silhouetteSample, seed, kernels, executor);
        long silhouetteDone = System.nanoTime();
        double ch = CalinskiHarabasz.of(moments);
        double db = DaviesBouldin.of(assigned.space(), assigned.labels(), moments, executor);
        long separationDone = System.nanoTime();
        List<SegmentProfile> profiles = SegmentProfile.of(assigned.features(), assigned.labels(), k, model.scaling(),
                model.preparation().log1p(), true, executor);
        Seconds seconds = new Seconds((silhouetteDone - start) / 1e9, (separationDone - silhouetteDone) / 1e9,
                (System.nanoTime() - separationDone) / 1e9);
        return new Evaluation(rows, k, nonEmpty, assigned.inertia(), silhouette, ch, db, profiles, seconds);
    }

    /** Everything as nested maps and lists in a fixed order, for JSON output; per-feature entries are keyed by name. */
    public Map<String, Object> toMap(List<String> features) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("customers", rows);
        root.put("k", k);
        root.put("nonEmptySegments", nonEmptySegments);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("value", silhouette.value());
        s.put("exact", silhouette.exact());
        s.put("sampleSize", silhouette.sampleSize());
        s.put("standardError", silhouette.standardError());
        s.put("ci95", List.of(silhouette.value() - silhouette.halfWidth95(), silhouette.value() + silhouette.halfWidth95()));
        s.put("sampling", silhouette.exact() ? "every customer" : "stratified by segment, proportional allocation");
        root.put("silhouette", s);
        root.put("calinskiHarabasz", calinskiHarabasz);
        root.put("daviesBouldin", daviesBouldin);
        root.put("inertia", inertia);
        root.put("seconds", seconds);
        List<Object> segments = new ArrayList<>();
        for (SegmentProfile p : profiles) {
            Map<String, Object> segment = new LinkedHashMap<>();
            segment.put("segment", p.segment());
            segment.put("customers", p.size());
            segment.put("share", p.share());
            double mean = silhouette.segmentMeans()[p.segment()];
            segment.put("silhouette", Double.isNaN(mean) ? null : mean);
            segment.put("silhouetteSampleSize", silhouette.segmentSampleSizes()[p.segment()]);
            List<String> distinguishing = new ArrayList<>();
            for (int f : p.distinguishing(SegmentProfile.DISTINGUISHING)) {
                distinguishing.add(features.get(f));
            }
            segment.put("distinguishingFeatures", distinguishing);
            Map<String, Object> perFeature = new LinkedHashMap<>();
            for (int f = 0; f < features.size(); f++) {
                Map<String, Object> stats = new LinkedHashMap<>();
                stats.put("mean", finiteOrNull(p.featureMeans()[f]));
                stats.put("median", finiteOrNull(p.featureMedians()[f]));
                stats.put("min", finiteOrNull(p.featureMins()[f]));
                stats.put("max", finiteOrNull(p.featureMaxs()[f]));
                stats.put("standardisedDifference", finiteOrNull(p.standardisedDifferences()[f]));
                perFeature.put(features.get(f), stats);
            }
            segment.put("features", perFeature);
            segments.add(segment);
        }
        root.put("segments", segments);
        return root;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
