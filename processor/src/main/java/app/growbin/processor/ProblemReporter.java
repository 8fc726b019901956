package app.growbin.processor;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.site.Site;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;

/** Prints each problem as one compiler error (or warning), on the element and annotation member when it has one. */
final class ProblemReporter {

    private final Messager messager;
    /** javac's source trees; null under another compiler, where repeated annotations are reported on their class. */
    private final Trees trees;

    ProblemReporter(ProcessingEnvironment environment) {
        this.messager = environment.getMessager();
        this.trees = treesOf(environment);
    }

    void report(List<Problem> problems) {
        for (Problem problem : problems) {
            Diagnostic.Kind kind = problem.isError() ? Diagnostic.Kind.ERROR : Diagnostic.Kind.WARNING;
            if (problem.site() instanceof Site.InSource source) {
                if (source.annotation() == null) {
                    messager.printMessage(kind, problem.message(), source.element());
                } else if (reportedOnRepeatedAnnotation(problem.message(), source)) {
                    continue;
                } else if (source.value() == null) {
                    messager.printMessage(kind, problem.message(), source.element(), source.annotation());
                } else {
                    messager.printMessage(kind, problem.message(), source.element(), source.annotation(), source.value());
                }
            } else {
                messager.printMessage(kind, problem.message());
            }
        }
    }

    /**
     * A repeated annotation ({@code @Env} written twice) lives inside a container annotation that javac
     * synthesized and that has no source tree, so the Messager would put the error on the class. Find
     * the n-th written annotation of that type, and its member, in the source tree instead.
     *
     * @return false when the annotation is not a repeated one or the tree cannot be found
     */
    private boolean reportedOnRepeatedAnnotation(String message, Site.InSource source) {
        Element element = source.element();
        if (trees == null || element.getAnnotationMirrors().contains(source.annotation())) {
            return false;
        }
        int index = repeatedIndex(element, source.annotation());
        TreePath elementPath = index < 0 ? null : trees.getPath(element);
        if (elementPath == null) {
            return false;
        }
        Element annotationType = source.annotation().getAnnotationType().asElement();
        List<AnnotationTree> written = new ArrayList<>();
        for (AnnotationTree annotation : modifierAnnotations(elementPath.getLeaf())) {
            if (annotationType.equals(trees.getElement(new TreePath(elementPath, annotation.getAnnotationType())))) {
                written.add(annotation);
            }
        }
        if (index >= written.size()) {
            return false;
        }
        Tree target = memberTree(written.get(index), source.annotation(), source.value());
        trees.printMessage(Diagnostic.Kind.ERROR, message, target, elementPath.getCompilationUnit());
        return true;
    }

    private static int repeatedIndex(Element element, AnnotationMirror repeated) {
        for (AnnotationMirror container : element.getAnnotationMirrors()) {
            for (AnnotationValue value : container.getElementValues().values()) {
                if (value.getValue() instanceof List<?> items) {
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i) instanceof AnnotationValue item && item.getValue() == repeated) {
                            return i;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private static List<? extends AnnotationTree> modifierAnnotations(Tree declaration) {
        if (declaration instanceof com.sun.source.tree.ClassTree type) {
            return type.getModifiers().getAnnotations();
        }
        if (declaration instanceof com.sun.source.tree.MethodTree method) {
            return method.getModifiers().getAnnotations();
        }
        return List.of();
    }

    /** The expression written for {@code value}'s member, or the whole annotation when it was not written. */
    private static Tree memberTree(AnnotationTree annotation, AnnotationMirror mirror, AnnotationValue value) {
        if (value == null) {
            return annotation;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> member : mirror.getElementValues().entrySet()) {
            if (member.getValue() != value) {
                continue;
            }
            String name = member.getKey().getSimpleName().toString();
            for (ExpressionTree argument : annotation.getArguments()) {
                if (argument instanceof AssignmentTree assignment && assignment.getVariable() instanceof IdentifierTree variable
                        && variable.getName().contentEquals(name)) {
                    return assignment.getExpression();
                }
            }
        }
        return annotation;
    }

    private static Trees treesOf(ProcessingEnvironment environment) {
        try {
            return Trees.instance(environment);
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return null;
        }
    }
}
