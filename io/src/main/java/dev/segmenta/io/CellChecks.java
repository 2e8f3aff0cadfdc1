package dev.segmenta.io;

import java.nio.file.Path;

/**
 * What every reader checks in a feature or transaction cell, and the one wording of each failure:
 * the Arrow (IPC and CSV) and the Parquet readers of features and of transactions name a bad cell the
 * same way, so that the error catalogue holds for every format.
 */
final class CellChecks {

    private CellChecks() {
    }

    /** {@code file: row N, column 'c'}, with {@code ordinal} 0-based. */
    static String at(Path file, long ordinal, String column) {
        return file + ": row " + (ordinal + 1) + ", column '" + column + "'";
    }

    static BadInputException nullFeature(String at) {
        return new BadInputException(at + " is empty (null); remove the row or fill in the value, or impute it"
                + " (--impute mean, median, constant or drop)");
    }

    /** Whether a feature value read as {@code value} may stay: finite, or a NaN the missing-value policy lets through. */
    static boolean acceptable(float value, ReadOptions.Missing missing, boolean isNull) {
        return Float.isFinite(value) || Float.isNaN(value) && (missing == ReadOptions.Missing.NULLS_AND_NAN
                || missing == ReadOptions.Missing.NULLS && isNull);
    }

    /**
     * A feature value that may not stay ({@link #acceptable}): {@code narrowed} is the file's value where
     * it was finite but beyond float32 (a double or a decimal), else {@code null}.
     */
    static BadInputException badFeature(String at, float value, Object narrowed) {
        if (narrowed != null) {
            return new BadInputException(at + " is " + narrowed + ", beyond the float32 range; rescale the column");
        }
        return new BadInputException(at + " is " + value + (Float.isNaN(value)
                ? "; remove the row or fill in the value, or impute it (--impute mean, median, constant or drop,"
                        + " with --nan-as-missing)"
                : "; remove the row or fill in the value (infinities cannot be imputed)"));
    }

    static BadInputException emptyAmount(String at) {
        return new BadInputException(at + " (the amount) is empty; every transaction needs an amount");
    }

    /** Whether {@code amount} is a purchase: finite and not negative (else {@link #notAPurchase}). */
    static boolean isPurchase(double amount) {
        return Double.isFinite(amount) && amount >= 0;
    }

    static BadInputException notAPurchase(String at, double amount) {
        return new BadInputException(at + " (the amount) is " + amount + (Double.isFinite(amount)
                ? ", negative; RFM needs purchases only: remove refunds or net them against their purchases first"
                : "; fix the value or remove the row"));
    }

    /** An IEEE half-precision value stored little-endian in two bytes (Parquet's FLOAT16). */
    static float float16(byte[] half) {
        return Float.float16ToFloat((short) ((half[1] & 0xff) << 8 | half[0] & 0xff));
    }

    /**
     * The last, shorter block of a column-major array laid out for {@code blockRows} rows: its columns
     * re-laid at a stride of {@code rows}.
     */
    static float[] compact(float[] values, int featureCount, int blockRows, int rows) {
        float[] compacted = new float[featureCount * rows];
        for (int f = 0; f < featureCount; f++) {
            System.arraycopy(values, f * blockRows, compacted, f * rows, rows);
        }
        return compacted;
    }
}
