package dev.segmenta.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Which columns a reader takes from a file, resolved once against the file's schema so every format
 * reports the same errors; {@code C} is the resolved selection.
 */
interface ColumnRequest<C> {

    /** Checks the schema and picks the columns; throws {@link BadInputException} naming what is wrong. */
    C resolve(Path file, Schema schema);

    /** The columns to read, each once. */
    List<String> projection(C columns);

    /**
     * CSV only: the text columns (as inferred from the first block) that this request reads as numbers,
     * so that their bad cell is reported rather than the column silently taken for text.
     *
     * @param textColumns     the columns inferred as text
     * @param mostlyNumeric those of the given text columns at least half of whose first values are numbers (peeks at the file)
     */
    Set<String> csvTextReadAsNumbers(List<String> textColumns, Function<List<String>, Set<String>> mostlyNumeric);

    /**
     * CSV only: the columns read as text exactly as written, whatever the inference makes of them: ids, which
     * inference would turn from {@code 007} into {@code 7} (breaking the join back to the CRM), or
     * fail on at a later alphanumeric id.
     */
    Set<String> csvText();

    /** CSV only: the type each of these columns is converted to, overriding the inferred one. */
    Map<String, ArrowType> csvTypes(C columns);
}
