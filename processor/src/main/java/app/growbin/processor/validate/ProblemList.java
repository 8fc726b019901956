package app.growbin.processor.validate;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.site.Site;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects problems in the order found, each once (values.yaml is read for every environment). */
final class ProblemList {

    private final Set<Problem> problems = new LinkedHashSet<>();

    void add(Rule rule, Site site, String detail) {
        problems.add(new Problem(rule, site, detail));
    }

    void addAll(List<Problem> found) {
        problems.addAll(found);
    }

    List<Problem> toList() {
        return List.copyOf(problems);
    }
}
