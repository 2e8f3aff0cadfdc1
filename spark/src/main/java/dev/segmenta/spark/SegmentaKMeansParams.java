package dev.segmenta.spark;

import dev.segmenta.kernels.Kernels;
import org.apache.spark.ml.param.DoubleArrayArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

import java.io.Serial;
import java.io.Serializable;

/**
 * The parameters shared by {@link SegmentaKMeans} and {@link SegmentaKMeansModel}: those of Spark
 * MLlib's {@code KMeans} with the same names, defaults and meaning ({@code k}, {@code maxIter},
 * {@code tol}, {@code seed}, {@code initMode}, {@code initSteps}, {@code weightCol},
 * {@code featuresCol}, {@code predictionCol}), plus {@code inputCols} (numeric columns instead of one
 * vector column), {@code distanceCol}, {@code backend} and {@code initialCenters}.
 *
 * <p>The accessors return the instance's {@link Param} objects, so {@code getParam("k")},
 * {@code explainParams()}, {@code copy} and save/load work as for Spark's own stages.
 */
public interface SegmentaKMeansParams extends Params {

    String K_MEANS_PARALLEL = "k-means||";
    String RANDOM = "random";

    /** This instance's parameter objects, created once with its uid. */
    Declared declared();

    /** Number of segments. At least 1. Default 2, as in MLlib. */
    default IntParam k() {
        return declared().k;
    }

    /** Lloyd iteration cap. At least 1. Default 20, as in MLlib. */
    default IntParam maxIter() {
        return declared().maxIter;
    }

    /**
     * Convergence tolerance, MLlib's rule: iterations stop once no centre moved farther than
     * {@code tol} (Euclidean distance). At least 0; 0 runs {@code maxIter} iterations unless nothing
     * moves. Default 1e-4.
     */
    default DoubleParam tol() {
        return declared().tol;
    }

    /** Seed of every random choice; the same seed and data partitioning give the same model. Default 0. */
    default LongParam seed() {
        return declared().seed;
    }

    /** {@value #K_MEANS_PARALLEL} (default) or {@value #RANDOM} ({@code k} distinct rows drawn uniformly). */
    default Param<String> initMode() {
        return declared().initMode;
    }

    /** Sampling rounds of k-means|| after the first centre. At least 1. Default 2, as in MLlib. */
    default IntParam initSteps() {
        return declared().initSteps;
    }

    /** Numeric column of non-negative sample weights; unset or empty means weight 1 for every row. */
    default Param<String> weightCol() {
        return declared().weightCol;
    }

    /** Feature column: a vector, {@code array<float>} or {@code array<double>}. Default {@code features}. */
    default Param<String> featuresCol() {
        return declared().featuresCol;
    }

    /** Numeric feature columns; when set and non-empty they are used instead of {@link #featuresCol()}. */
    default StringArrayParam inputCols() {
        return declared().inputCols;
    }

    /** Output column of the segment (int, 0-based). Default {@code prediction}. */
    default Param<String> predictionCol() {
        return declared().predictionCol;
    }

    /** Output column of the Euclidean distance to the segment's centre (double); empty for none. Default {@code distance}. */
    default Param<String> distanceCol() {
        return declared().distanceCol;
    }

    /**
     * Segmenta kernel backend on every executor: {@code auto} (default: the best that starts there,
     * normally {@code simd}), {@code simd}, {@code scalar}, or another installed provider. A backend
     * named explicitly that cannot start on an executor fails the job; it never silently becomes another.
     */
    default Param<String> backend() {
        return declared().backend;
    }

    /** Starting centres ({@code k} arrays of the feature count); when set, {@code initMode} is not used. */
    default DoubleArrayArrayParam initialCenters() {
        return declared().initialCenters;
    }

    default int getK() {
        return (Integer) getOrDefault(k());
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default String getInitMode() {
        return getOrDefault(initMode());
    }

    default int getInitSteps() {
        return (Integer) getOrDefault(initSteps());
    }

    /** The weight column, or {@code null} when every row weighs 1. */
    default String getWeightCol() {
        return isDefined(weightCol()) && !getOrDefault(weightCol()).isEmpty() ? getOrDefault(weightCol()) : null;
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** The numeric feature columns, or {@code null} when {@link #featuresCol()} is used. */
    default String[] getInputCols() {
        return isDefined(inputCols()) && getOrDefault(inputCols()).length > 0 ? getOrDefault(inputCols()) : null;
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default String getDistanceCol() {
        return getOrDefault(distanceCol());
    }

    default String getBackend() {
        return getOrDefault(backend());
    }

    /** The starting centres, or {@code null} when {@code initMode} chooses them. */
    default double[][] getInitialCenters() {
        return isDefined(initialCenters()) ? getOrDefault(initialCenters()) : null;
    }

    /** The parameter objects of one instance, with MLlib's defaults set on it. */
    final class Declared implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        final IntParam k;
        final IntParam maxIter;
        final DoubleParam tol;
        final LongParam seed;
        final Param<String> initMode;
        final IntParam initSteps;
        final Param<String> weightCol;
        final Param<String> featuresCol;
        final StringArrayParam inputCols;
        final Param<String> predictionCol;
        final Param<String> distanceCol;
        final Param<String> backend;
        final DoubleArrayArrayParam initialCenters;

        Declared(SegmentaKMeansParams owner) {
            String uid = owner.uid();
            k = new IntParam(uid, "k", "Number of segments (>= 1).", ParamValidators.gtEq(1));
            maxIter = new IntParam(uid, "maxIter", "Maximum number of Lloyd iterations (>= 1).",
                    ParamValidators.gtEq(1));
            tol = new DoubleParam(uid, "tol", "Convergence tolerance: stop once no centre moves farther than this "
                    + "(>= 0).", ParamValidators.gtEq(0));
            seed = new LongParam(uid, "seed", "Random seed.");
            initMode = new Param<>(uid, "initMode", "Initialization algorithm: '" + K_MEANS_PARALLEL + "' or '"
                    + RANDOM + "'.", ParamValidators.inArray(new String[] {K_MEANS_PARALLEL, RANDOM}), String.class);
            initSteps = new IntParam(uid, "initSteps", "Sampling rounds of k-means|| (>= 1).",
                    ParamValidators.gtEq(1));
            weightCol = new Param<>(uid, "weightCol", "Column of non-negative sample weights; unset or empty means "
                    + "all 1.", String.class);
            featuresCol = new Param<>(uid, "featuresCol", "Feature column: vector, array<float> or array<double>.",
                    String.class);
            inputCols = new StringArrayParam(owner, "inputCols", "Numeric feature columns, used instead of "
                    + "featuresCol when set.");
            predictionCol = new Param<>(uid, "predictionCol", "Output column of the segment (int).", String.class);
            distanceCol = new Param<>(uid, "distanceCol", "Output column of the Euclidean distance to the segment's "
                    + "centre (double); empty for none.", String.class);
            backend = new Param<>(uid, "backend", "Segmenta kernel backend on the executors: auto, simd, scalar, ...",
                    String.class);
            initialCenters = new DoubleArrayArrayParam(owner, "initialCenters", "Starting centres, one array per "
                    + "segment; when set, initMode is not used.");
        }

        void setDefaults(SegmentaKMeansParams owner) {
            owner.setDefault(k, 2);
            owner.setDefault(maxIter, 20);
            owner.setDefault(tol, 1e-4);
            owner.setDefault(seed, 0L);
            owner.setDefault(initMode, K_MEANS_PARALLEL);
            owner.setDefault(initSteps, 2);
            owner.setDefault(featuresCol, "features");
            owner.setDefault(predictionCol, "prediction");
            owner.setDefault(distanceCol, "distance");
            owner.setDefault(backend, Kernels.AUTO);
        }
    }
}
