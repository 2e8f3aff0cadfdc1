package dev.segmenta.engine.report;

import dev.segmenta.engine.eval.Elbow;
import dev.segmenta.engine.eval.Evaluation;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.eval.Silhouette;
import dev.segmenta.engine.model.SegmentModel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A segmentation report as one self-contained HTML page: the model, the quality metrics, the elbow
 * curve, segment sizes, the silhouette plot, the profile heat map and tables, and a 2-D PCA view of
 * the customers. Plots are PNG images embedded as {@code data:} URIs, so the page needs no other file,
 * no script and no network.
 */
public final class HtmlReport {

    /**
     * What the report shows.
     *
     * @param elbow      the inertia curve, or {@code null} to leave that section out
     * @param projection customers on two principal components, or {@code null} with fewer than 2 features
     */
    public record Content(SegmentModel model, String modelName, String inputName, Evaluation evaluation,
                          Elbow.Result elbow, Projection projection, String createdAt, String version) { }

    /**
     * A sample of customers on the first two principal components of the scaled features.
     *
     * @param ratios explained variance ratio of the two components
     */
    public record Projection(float[] x, float[] y, int[] segments, double[] ratios) { }

    private HtmlReport() {
    }

    /** The plots, by file name (without directory), in the order the page shows them. */
    public static Map<String, byte[]> plots(Content c) {
        Map<String, byte[]> plots = new LinkedHashMap<>();
        Evaluation e = c.evaluation();
        if (c.elbow() != null) {
            plots.put("elbow.png", Charts.elbow(c.elbow()));
        }
        plots.put("sizes.png", Charts.sizes(e.profiles()));
        plots.put("silhouette.png", Charts.silhouette(e.silhouette(), c.model().k()));
        plots.put("profiles.png", Charts.profileHeatMap(e.profiles(), c.model().features()));
        if (c.projection() != null) {
            Projection p = c.projection();
            plots.put("projection.png", Charts.projection(p.x(), p.y(), p.segments(), c.model().k(), p.ratios()));
        }
        return plots;
    }

    /** The page, with {@code plots} (from {@link #plots}) embedded. */
    public static byte[] html(Content c, Map<String, byte[]> plots) {
        SegmentModel m = c.model();
        Evaluation e = c.evaluation();
        List<String> features = m.features();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Segmentation report: ").append(escape(c.modelName())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>Segmentation report</h1>\n<p class=\"lead\">")
                .append(String.format(Locale.ROOT, "%,d customers of <code>%s</code> in %d segments of model "
                                + "<code>%s</code> (%s%s, %s scaling%s, %d features).",
                        e.rows(), escape(c.inputName()), m.k(), escape(c.modelName()), escape(m.algorithm()),
                        // An exact hierarchy is seeded by nothing: its model records no seeding.
                        m.initialization() == null ? "" : ", " + escape(m.initialization()) + " seeding",
                        escape(m.scaling().method()),
                        m.pca() == null ? "" : ", " + m.pca().count() + " principal components", features.size()))
                .append("</p>\n");

        h.append("<h2>Quality</h2>\n<table class=\"metrics\">\n");
        Silhouette.Estimate s = e.silhouette();
        String silhouette = s.exact()
                ? String.format(Locale.ROOT, "%.4f", s.value())
                : String.format(Locale.ROOT, "%.4f &plusmn; %.4f", s.value(), s.halfWidth95());
        String how = s.exact()
                ? String.format(Locale.ROOT, "exact, every one of the %,d customers", s.population())
                : String.format(Locale.ROOT, "95%% interval from a sample of %,d of %,d customers, stratified by "
                        + "segment; each sampled customer's silhouette is exact", s.sampleSize(), s.population());
        metric(h, "Silhouette", silhouette, "from &minus;1 to 1, higher is better: how much closer customers are to "
                + "their own segment than to the next one (" + how + ")");
        metric(h, "Calinski-Harabasz", String.format(Locale.ROOT, "%,.1f", e.calinskiHarabasz()),
                "higher is better: between-segment over within-segment dispersion; compare fits of the same data");
        metric(h, "Davies-Bouldin", String.format(Locale.ROOT, "%.4f", e.daviesBouldin()),
                "0 or more, lower is better: average worst ratio of segment spread to the distance between segments");
        metric(h, "Inertia", String.format(Locale.ROOT, "%,.1f", e.inertia()),
                "sum of squared distances of customers to their segment's centre, in the model's scaled space");
        h.append("</table>\n");

        if (plots.containsKey("elbow.png")) {
            h.append("<h2>Choosing k</h2>\n<p>")
                    .append(c.elbow().kneeK().isPresent()
                            ? "The knee of the inertia curve (Kneedle method) suggests <b>k = " + c.elbow().kneeK().getAsInt()
                            + "</b>; this model has k = " + m.k() + "."
                            : "The inertia curve has no clear knee in this range of k.")
                    .append("</p>\n");
            image(h, plots, "elbow.png", "Inertia against the number of segments");
        }

        h.append("<h2>Segments</h2>\n");
        image(h, plots, "sizes.png", "Customers per segment");
        h.append(segmentTable(e, features));
        image(h, plots, "silhouette.png", "Silhouette of the scored customers per segment");

        h.append("<h2>Profiles</h2>\n<p>Each cell is the segment's mean minus the mean of all customers, in standard "
                + "deviations of all customers: red above, blue below.</p>\n");
        image(h, plots, "profiles.png", "Standardised difference of each segment's mean per feature");
        h.append("<h3>Means in original units</h3>\n").append(meanTable(e.profiles(), features));
        h.append("<details><summary>Median, minimum and maximum per segment and feature</summary>\n")
                .append(detailTable(e.profiles(), features)).append("</details>\n");

        if (plots.containsKey("projection.png")) {
            h.append("<h2>Map of the customers</h2>\n<p>A sample of customers on the two directions of greatest "
                    + "variance of the scaled features (principal components), coloured by segment.</p>\n");
            image(h, plots, "projection.png", "Customers on the first two principal components");
        }
        h.append("<footer>Written by Segmenta ").append(escape(c.version())).append(" on ")
                .append(escape(c.createdAt())).append(". Metrics are defined as in scikit-learn. Silhouette: Rousseeuw 1987; "
                        + "Calinski-Harabasz 1974; Davies-Bouldin 1979; knee: Satop&auml;&auml; et al. 2011.</footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void metric(StringBuilder h, String name, String value, String meaning) {
        h.append("<tr><th>").append(name).append("</th><td class=\"num\">").append(value).append("</td><td>")
                .append(meaning).append("</td></tr>\n");
    }

    private static void image(StringBuilder h, Map<String, byte[]> plots, String name, String alt) {
        h.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(plots.get(name))).append("\"></figure>\n");
    }

    private static String segmentTable(Evaluation e, List<String> features) {
        StringBuilder t = new StringBuilder("<table>\n<thead><tr><th>segment</th><th class=\"num\">customers</th>"
                + "<th class=\"num\">share</th><th class=\"num\">silhouette</th><th>most distinguishing features</th>"
                + "</tr></thead>\n<tbody>\n");
        for (SegmentProfile p : e.profiles()) {
            double mean = e.silhouette().segmentMeans()[p.segment()];
            t.append("<tr><td>").append(swatch(p.segment())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d", p.size())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * p.share())).append("</td><td class=\"num\">")
                    .append(Double.isNaN(mean) ? "&ndash;" : String.format(Locale.ROOT, "%.3f", mean))
                    .append("</td><td>").append(escape(p.distinguishingText(features))).append("</td></tr>\n");
        }
        return t.append("</tbody>\n</table>\n").toString();
    }

    private static String meanTable(List<SegmentProfile> profiles, List<String> features) {
        StringBuilder t = new StringBuilder("<div class=\"wide\"><table>\n<thead><tr><th>segment</th>");
        for (String f : features) {
            t.append("<th class=\"num\">").append(escape(f)).append("</th>");
        }
        t.append("</tr></thead>\n<tbody>\n");
        for (SegmentProfile p : profiles) {
            t.append("<tr><td>").append(swatch(p.segment())).append("</td>");
            for (int f = 0; f < features.size(); f++) {
                t.append("<td class=\"num\">").append(SegmentProfile.format(p.featureMeans()[f])).append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</tbody>\n</table></div>\n").toString();
    }

    private static String detailTable(List<SegmentProfile> profiles, List<String> features) {
        StringBuilder t = new StringBuilder("<div class=\"wide\"><table>\n<thead><tr><th>segment</th><th>feature</th>"
                + "<th class=\"num\">mean</th><th class=\"num\">median</th><th class=\"num\">min</th>"
                + "<th class=\"num\">max</th><th class=\"num\">std. difference</th></tr></thead>\n<tbody>\n");
        for (SegmentProfile p : profiles) {
            for (int f = 0; f < features.size(); f++) {
                double z = p.standardisedDifferences()[f];
                t.append("<tr><td>").append(swatch(p.segment())).append("</td><td>").append(escape(features.get(f)))
                        .append("</td><td class=\"num\">").append(SegmentProfile.format(p.featureMeans()[f]))
                        .append("</td><td class=\"num\">").append(SegmentProfile.format(p.featureMedians()[f]))
                        .append("</td><td class=\"num\">").append(SegmentProfile.format(p.featureMins()[f]))
                        .append("</td><td class=\"num\">").append(SegmentProfile.format(p.featureMaxs()[f]))
                        .append("</td><td class=\"num\">")
                        .append(Double.isNaN(z) ? "&ndash;" : String.format(Locale.ROOT, "%+.2f", z))
                        .append("</td></tr>\n");
            }
        }
        return t.append("</tbody>\n</table></div>\n").toString();
    }

    private static String swatch(int segment) {
        return "<span class=\"swatch\" style=\"background:" + Charts.cssColour(segment) + "\"></span>" + segment;
    }

    /** Text as HTML: feature and file names come from the user's data. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", \
            "DejaVu Sans", sans-serif; }
            main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
            h1 { font-size: 26px; margin: 8px 0 4px; }
            h2 { font-size: 20px; margin: 32px 0 8px; padding-top: 8px; border-top: 1px solid #e3e6eb; }
            h3 { font-size: 16px; margin: 20px 0 6px; }
            .lead { color: #4a5263; margin-top: 0; }
            code { font-size: 13px; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e8eaee; text-align: left; vertical-align: top; }
            thead th { border-bottom: 2px solid #cfd4dc; white-space: nowrap; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            table.metrics th { white-space: nowrap; }
            table.metrics td:last-child { color: #4a5263; }
            .wide { overflow-x: auto; }
            figure { margin: 12px 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e8eaee; }
            .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; border-radius: 2px; }
            details { margin: 8px 0 16px; }
            summary { cursor: pointer; color: #2a5db0; }
            footer { margin-top: 36px; color: #6b7385; font-size: 13px; }
            """;
}
