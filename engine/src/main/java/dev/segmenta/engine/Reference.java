package dev.segmenta.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The publication an algorithm implements, kept at run time so tools and reports can cite it. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Reference {
    String authors();

    String title();

    String booktitle();

    int year();

    /** A resolvable link, normally {@code https://doi.org/...}. */
    String url();
}
