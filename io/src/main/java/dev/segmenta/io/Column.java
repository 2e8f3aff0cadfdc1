package dev.segmenta.io;

import java.util.Objects;

/** A named, typed column of a table written by {@link TableWriter}. */
public record Column(String name, ColumnType type) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
