package app.growbin.processor.read;

import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Reads the members of one annotation mirror, explicit or default, each with its site. */
final class AnnotationMembers {

    /** A member javac could not resolve; javac reports that error itself. */
    static final class UnreadableAnnotationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableAnnotationException() {
            super(null, null, false, false);
        }
    }

    private final Element element;
    private final AnnotationMirror mirror;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> explicit;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults;

    AnnotationMembers(Element element, AnnotationMirror mirror, Elements elements) {
        this.element = element;
        this.mirror = mirror;
        this.explicit = mirror.getElementValues();
        this.withDefaults = elements.getElementValuesWithDefaults(mirror);
    }

    private AnnotationMembers(Element element, Map<? extends ExecutableElement, ? extends AnnotationValue> defaults) {
        this.element = element;
        this.mirror = null;
        this.explicit = Map.of();
        this.withDefaults = defaults;
    }

    /**
     * The members' own defaults of an annotation that {@code element} does not carry, each sited at
     * the element: the annotation type is the one definition of those defaults.
     */
    static AnnotationMembers defaultsOf(Element element, TypeElement annotationType) {
        Map<ExecutableElement, AnnotationValue> defaults = new LinkedHashMap<>();
        for (ExecutableElement member : ElementFilter.methodsIn(annotationType.getEnclosedElements())) {
            if (member.getDefaultValue() != null) {
                defaults.put(member, member.getDefaultValue());
            }
        }
        return new AnnotationMembers(element, defaults);
    }

    Located<String> string(String member) {
        return located(member, String.class);
    }

    Located<Integer> integer(String member) {
        return located(member, Integer.class);
    }

    Located<Double> number(String member) {
        return located(member, Double.class);
    }

    Located<Boolean> bool(String member) {
        return located(member, Boolean.class);
    }

    <E extends Enum<E>> Located<E> enumeration(String member, Class<E> type) {
        Located<VariableElement> constant = located(member, VariableElement.class);
        return new Located<>(Enum.valueOf(type, constant.value().getSimpleName().toString()), constant.site());
    }

    /**
     * A {@code Class<?>[]} member: the qualified name of each class, each sited at its own literal (or at
     * the annotation when the member was left at its default). A class javac could not resolve is left
     * out: javac reports it.
     */
    List<Located<String>> classes(String member) {
        AnnotationValue value = explicitValue(member);
        AnnotationValue effective = value != null ? value : valueWithDefault(member);
        if (effective == null || !(effective.getValue() instanceof List<?> items)) {
            throw new UnreadableAnnotationException();
        }
        List<Located<String>> classes = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof AnnotationValue literal && literal.getValue() instanceof DeclaredType type
                    && type.asElement() instanceof TypeElement element) {
                classes.add(new Located<>(element.getQualifiedName().toString(), new Site.InSource(this.element, mirror, literal)));
            }
        }
        return classes;
    }

    boolean isExplicit(String member) {
        return explicitValue(member) != null;
    }

    /** The site of the annotation itself (for problems about the whole annotation). */
    Site.InSource annotationSite() {
        return new Site.InSource(element, mirror, null);
    }

    private <T> Located<T> located(String member, Class<T> type) {
        AnnotationValue value = explicitValue(member);
        Site site = new Site.InSource(element, mirror, value);
        AnnotationValue effective = value != null ? value : valueWithDefault(member);
        if (effective == null || !type.isInstance(effective.getValue())) {
            throw new UnreadableAnnotationException();
        }
        return new Located<>(type.cast(effective.getValue()), site);
    }

    private AnnotationValue explicitValue(String member) {
        return find(explicit, member);
    }

    private AnnotationValue valueWithDefault(String member) {
        return find(withDefaults, member);
    }

    private static AnnotationValue find(Map<? extends ExecutableElement, ? extends AnnotationValue> values, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : values.entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(member)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
