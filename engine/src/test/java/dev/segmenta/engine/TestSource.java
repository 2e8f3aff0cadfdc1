package dev.segmenta.engine;

import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link FeatureSource} over blocks in memory, for tests. */
public final class TestSource implements FeatureSource {

    private final List<FeatureBatch> blocks;
    private int next;

    public TestSource(FeatureBatch... blocks) {
        this.blocks = new ArrayList<>(Arrays.asList(blocks));
    }

    @Override
    public Path file() {
        return Path.of("memory");
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < blocks.getFirst().features(); f++) {
            names.add("f" + f);
        }
        return names;
    }

    @Override
    public ColumnType idType() {
        return ColumnType.INT64;
    }

    @Override
    public boolean hasIdColumn() {
        return false;
    }

    @Override
    public FeatureBatch next() {
        return next < blocks.size() ? blocks.get(next++) : null;
    }

    @Override
    public void close() {
    }
}
