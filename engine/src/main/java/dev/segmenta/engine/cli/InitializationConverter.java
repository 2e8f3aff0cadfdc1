package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.Initialization;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Reads {@code --init} as written in papers and in scikit-learn/Spark: {@code k-means++} or {@code k-means||}. */
final class InitializationConverter implements ITypeConverter<Initialization> {

    @Override
    public Initialization convert(String value) {
        String name = value.toLowerCase(Locale.ROOT).replace("-", "");
        return switch (name) {
            case "kmeans++", "plusplus" -> Initialization.KMEANS_PLUS_PLUS;
            case "kmeans||", "parallel" -> Initialization.KMEANS_PARALLEL;
            default -> throw new TypeConversionException("'" + value + "' is not a seeding method; use k-means++ or k-means||");
        };
    }
}
