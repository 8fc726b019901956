package app.growbin.processor.validate;

import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.CarriedFile;
import app.growbin.processor.read.YamlNode;
import app.growbin.processor.site.Site;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of an environment's own files: a resource file holds Kubernetes objects (apiVersion, kind,
 * metadata.name), each once; a patch file holds one patch, either a strategic-merge patch (a partial
 * object naming its target) or a JSON 6902 patch (a list of operations) whose file name,
 * {@code <Kind>.<name>.yaml}, names its target. Whether each target exists is decided once the
 * environment's objects are rendered.
 */
final class CarriedFileRules {

    private static final Set<String> OPERATIONS = Set.of("add", "remove", "replace", "move", "copy", "test");

    private final ProblemList problems;

    CarriedFileRules(ProblemList problems) {
        this.problems = problems;
    }

    void check(String environment, List<CarriedFile> files) {
        Map<String, String> declared = new HashMap<>();
        for (CarriedFile file : files) {
            if (file.documents().isEmpty()) {
                add(file, 1, file.displayName(environment) + " is empty; remove it or write " + (file.kind() == CarriedFile.Kind.PATCH ? "a patch" : "objects") + " in it");
            } else if (file.kind() == CarriedFile.Kind.RESOURCE) {
                resources(environment, file, declared);
            } else {
                patch(environment, file);
            }
        }
    }

    private void resources(String environment, CarriedFile file, Map<String, String> declared) {
        for (YamlNode document : file.documents()) {
            Optional<CarriedFile.ObjectRef> object = CarriedFile.objectRef(document);
            if (object.isEmpty()) {
                add(file, document.line(), file.displayName(environment) + ": every document of resources/ is one Kubernetes object "
                        + "with apiVersion, kind and metadata.name (a kind: List is not read; write its items as documents)");
                continue;
            }
            String identity = object.get().kind() + "/" + object.get().name();
            String first = declared.putIfAbsent(identity, file.displayName(environment));
            if (first != null) {
                add(file, document.line(), file.displayName(environment) + " declares " + identity + " again (also in " + first
                        + "); kustomize refuses an object twice: keep one");
            }
        }
    }

    private void patch(String environment, CarriedFile file) {
        String name = file.displayName(environment);
        if (file.documents().size() > 1) {
            add(file, file.documents().get(1).line(), name + " holds " + file.documents().size()
                    + " documents; a patch file holds one patch: write one file per patch");
            return;
        }
        YamlNode patch = file.documents().get(0);
        if (patch instanceof YamlNode.Mapping) {
            if (file.patchTarget().isEmpty()) {
                add(file, patch.line(), name + " is a strategic-merge patch without its target: give it the apiVersion, kind and "
                        + "metadata.name of the object it changes");
            }
        } else if (patch instanceof YamlNode.Sequence operations) {
            if (file.patchTarget().isEmpty()) {
                add(file, patch.line(), name + " is a JSON 6902 patch (a list of operations), whose target its file name gives: name it "
                        + "<Kind>.<object name>.yaml, such as Deployment.shop-api-rest-shop.yaml");
            }
            for (YamlNode operation : operations.items()) {
                operation(name, file, operation);
            }
        } else {
            add(file, patch.line(), name + " is neither a strategic-merge patch (a mapping) nor a JSON 6902 patch (a list of operations)");
        }
    }

    private void operation(String name, CarriedFile file, YamlNode node) {
        if (!(node instanceof YamlNode.Mapping operation)) {
            add(file, node.line(), name + ": a JSON 6902 operation is a mapping with op and path");
            return;
        }
        Optional<String> op = scalar(operation, "op");
        Optional<String> path = scalar(operation, "path");
        if (op.isEmpty() || !OPERATIONS.contains(op.get())) {
            add(file, operation.line(), name + ": op must be one of add, copy, move, remove, replace, test" + op.map(o -> ", not '" + o + "'").orElse(""));
            return;
        }
        if (path.isEmpty() || !(path.get().isEmpty() || path.get().startsWith("/"))) {
            add(file, operation.line(), name + ": the " + op.get() + " operation needs a path, a JSON pointer such as /spec/template/spec/tolerations");
        }
        if (Set.of("add", "replace", "test").contains(op.get()) && operation.get("value").isEmpty()) {
            add(file, operation.line(), name + ": the " + op.get() + " operation needs a value");
        }
        if (Set.of("move", "copy").contains(op.get()) && scalar(operation, "from").isEmpty()) {
            add(file, operation.line(), name + ": the " + op.get() + " operation needs from, the JSON pointer it reads");
        }
    }

    private static Optional<String> scalar(YamlNode.Mapping mapping, String key) {
        return mapping.get(key).map(YamlNode.Entry::value).filter(YamlNode.Scalar.class::isInstance).map(YamlNode.Scalar.class::cast)
                .filter(s -> !s.isNull()).map(YamlNode.Scalar::text);
    }

    private void add(CarriedFile file, int line, String detail) {
        problems.add(Rule.CARRIED_FILE, new Site.InValues(file.source(), line, ""), detail);
    }
}
