package app.growbin.processor;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.read.Site;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/** Prints each problem as one compiler error, on the element and annotation member when it has one. */
final class ProblemReporter {

    private final Messager messager;

    ProblemReporter(Messager messager) {
        this.messager = messager;
    }

    void report(List<Problem> problems) {
        for (Problem problem : problems) {
            if (problem.site() instanceof Site.InSource source) {
                if (source.annotation() == null) {
                    messager.printMessage(Diagnostic.Kind.ERROR, problem.message(), source.element());
                } else if (source.value() == null) {
                    messager.printMessage(Diagnostic.Kind.ERROR, problem.message(), source.element(), source.annotation());
                } else {
                    messager.printMessage(Diagnostic.Kind.ERROR, problem.message(), source.element(), source.annotation(), source.value());
                }
            } else {
                messager.printMessage(Diagnostic.Kind.ERROR, problem.message());
            }
        }
    }
}
