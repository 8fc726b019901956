package app.growbin.processor.site;

import java.nio.file.Path;
import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** Where a value was written, so that a problem with it is reported right there. */
public sealed interface Site {

    /** A member of an annotation on a Java element; annotation and value may be null (the element itself). */
    record InSource(Element element, AnnotationMirror annotation, AnnotationValue value) implements Site {
        public static InSource of(Element element) {
            return new InSource(element, null, null);
        }

        // written out: a record's generated equals and hashCode bootstrap method handles on first use, which a
        // compilation that renders nothing would pay for one comparison
        @Override
        public boolean equals(Object other) {
            return other instanceof InSource that && Objects.equals(element, that.element) && Objects.equals(annotation, that.annotation)
                    && Objects.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return (31 * Objects.hashCode(element) + Objects.hashCode(annotation)) * 31 + Objects.hashCode(value);
        }
    }

    /** A key of a values file, at a 1-based line. */
    record InValues(Path file, int line, String key) implements Site {}

    /** A processor option given on the command line, such as {@code -Agrowbin.image.tag}. */
    record InOption(String option) implements Site {}

    /**
     * A value of a class that this compilation did not compile, read from the declaration record an
     * earlier compilation left in the class output (incremental builds: IDEs, Gradle).
     *
     * @param className the annotated class
     * @param member where in the class, such as {@code @RestService.replicas}, or empty for the class itself
     */
    record InRecord(String className, String member) implements Site {}
}
