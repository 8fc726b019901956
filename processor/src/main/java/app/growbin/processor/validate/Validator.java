package app.growbin.processor.validate;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.CarriedFilesReader;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.site.Site;
import app.growbin.processor.read.ValuesFile;
import app.growbin.processor.read.ValuesFileReader;
import app.growbin.processor.read.ValuesLayers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs every rule over what was read and returns all problems at once, in a stable order. */
public final class Validator {

    /** Problems of the annotations alone (the Java source catalog needs only these to be absent). */
    public List<Problem> validateDeclarations(Declarations declarations) {
        ProblemList problems = new ProblemList();
        new AnnotationRules(problems).check(declarations);
        new ObservabilityRules(problems).check(declarations);
        return problems.toList();
    }

    /** Problems of the environments' own patches and resources ({@code <config>/<env>/patches|resources}). */
    public List<Problem> validateCarriedFiles(CarriedFilesReader.Result carried) {
        ProblemList problems = new ProblemList();
        problems.addAll(carried.problems());
        CarriedFileRules rules = new CarriedFileRules(problems);
        carried.files().forEach(rules::check);
        return problems.toList();
    }

    /** Problems of the values files and of each environment's effective settings. */
    public List<Problem> validateEnvironments(Declarations declarations, ValuesFileReader.Result values, BuildOptions options) {
        ProblemList problems = new ProblemList();
        problems.addAll(values.problems());
        Map<String, Set<String>> names = declarations.workloads().stream().collect(Collectors.groupingBy(
                w -> w.kind().valuesKey(), Collectors.mapping(w -> w.name().value(), Collectors.toSet())));
        ValuesRules shape = new ValuesRules(problems, names);
        shape.check(values.base());
        values.overlays().forEach(shape::check);
        List<DeclaredWorkload> workloads = declarations.workloads();
        // When values.yaml could not be read, every key in it looks missing: report only why it could not be read.
        boolean baseRead = values.problems().stream().noneMatch(p -> p.site() instanceof Site.InOption
                || p.site() instanceof Site.InValues v && v.file().equals(values.base().path()));
        EnvironmentRules environments = new EnvironmentRules(problems, baseRead);
        PlatformRules platform = new PlatformRules(problems);
        ObservabilityRules observability = new ObservabilityRules(problems);
        for (ValuesFile overlay : values.overlays()) {
            environments.check(overlay.environment(), new ValuesLayers(overlay, values.base()), workloads, options);
            platform.check(overlay.environment(), new ValuesLayers(overlay, values.base()), workloads);
            observability.check(new ValuesLayers(overlay, values.base()), workloads);
        }
        return problems.toList();
    }
}
