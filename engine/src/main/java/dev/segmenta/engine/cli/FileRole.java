package dev.segmenta.engine.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a command does with the file a {@code Path} option names: every such option carries one, so
 * {@link OutputClashes} can refuse, before any work, an output that would replace an input or another
 * output. {@code OutputSafetyTest} fails for a {@code Path} option without it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface FileRole {

    Role value();

    /**
     * For an {@link Role#OUTPUT} option that names a directory: the files the command writes into it,
     * as a glob ({@code "*.png"}). Empty for an option that names the output file itself.
     */
    String filesInDirectory() default "";

    enum Role {
        /** Read, never written. */
        INPUT,
        /** Written (atomically, with the command's other outputs). */
        OUTPUT
    }
}
