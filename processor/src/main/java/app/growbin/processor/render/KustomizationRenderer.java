package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.CarriedFile;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An environment folder's {@code kustomization.yaml}: every generated file and every file of the
 * environment's {@code resources/} as resources, every file of its {@code patches/} as an inline patch
 * (its text as written, in a literal block, with the target it names: a strategic-merge patch's
 * apiVersion, kind and name, a JSON 6902 patch's file name), so that {@code kubectl apply -k <env>}
 * applies the generated objects as the environment's own patches change them, and its own objects.
 * The patches are inline, not files of the folder, because a patch is a partial object: every tool
 * that reads each YAML file of the folder as an object (kubeconform, {@code kubectl apply -R}, Argo CD's
 * directory mode) would take it for a whole, broken one. {@link #patchOrigins} names the file each came from.
 * {@link #check} refuses a patch whose target is no object of the folder, and a resource that
 * redeclares a generated object.
 */
public final class KustomizationRenderer {

    public static final String FILE = "kustomization.yaml";

    /** The kustomization of one environment's folder; its header names the file each patch came from. */
    public Manifest render(String applicationName, String environment, List<Manifest> generated, List<CarriedFile> carried) {
        List<String> resources = Stream.concat(generated.stream().map(Manifest::path),
                carried.stream().filter(f -> f.kind() == CarriedFile.Kind.RESOURCE).map(CarriedFile::path)).sorted().toList();
        List<Node> patches = new ArrayList<>();
        for (CarriedFile patch : carried) {
            if (patch.kind() == CarriedFile.Kind.PATCH) {
                patches.add(map("patch", inlineText(patch), "target", target(patch, generated, carried)));
            }
        }
        return new Manifest(FILE, "the Growbin annotations and values of " + applicationName, patchOrigins(environment, carried), List.of(map(
                "apiVersion", "kustomize.config.k8s.io/v1beta1",
                "kind", "Kustomization",
                "resources", list(resources),
                "patches", patches.isEmpty() ? null : list(patches))));
    }

    /** Where each entry of {@code patches} came from, in the order {@link #render} lists them; empty without patches. */
    private static List<String> patchOrigins(String environment, List<CarriedFile> carried) {
        List<String> origins = new ArrayList<>();
        for (CarriedFile patch : carried) {
            if (patch.kind() == CarriedFile.Kind.PATCH) {
                origins.add("patches[" + origins.size() + "] is carried from " + patch.displayName(environment) + " of the values folder.");
            }
        }
        return origins;
    }

    /** The patch file's text as written, without the line break that ends the file (a {@code |-} block). */
    private static String inlineText(CarriedFile patch) {
        String text = patch.text();
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Patches whose target is no object of the folder, and resources that redeclare a generated object. */
    public List<Problem> check(String environment, List<Manifest> generated, List<CarriedFile> carried) {
        List<CarriedFile.ObjectRef> objects = objects(generated, carried);
        List<CarriedFile.ObjectRef> generatedObjects = objects(generated, List.of());
        List<Problem> problems = new ArrayList<>();
        for (CarriedFile file : carried) {
            if (file.kind() == CarriedFile.Kind.RESOURCE) {
                for (var document : file.documents()) {
                    CarriedFile.objectRef(document).flatMap(object -> find(generatedObjects, object)).ifPresent(existing ->
                            problems.add(new Problem(Rule.CARRIED_FILE, new Site.InValues(file.source(), document.line(), ""),
                                    file.displayName(environment) + " declares " + existing.kind() + "/" + existing.name()
                                            + ", which Growbin generates already; change the generated one with a file in patches/ instead")));
                }
            } else {
                file.patchTarget().filter(target -> find(objects, target).isEmpty()).ifPresent(target -> problems.add(new Problem(
                        Rule.PATCH_TARGET, new Site.InValues(file.source(), file.documents().get(0).line(), ""),
                        "the patch " + file.displayName(environment) + " targets " + target + ", which is no object of environment '"
                                + environment + "'; " + candidates(objects, target))));
            }
        }
        return problems;
    }

    private static Node target(CarriedFile patch, List<Manifest> generated, List<CarriedFile> carried) {
        CarriedFile.ObjectRef named = patch.patchTarget().orElseThrow();
        CarriedFile.ObjectRef object = find(objects(generated, carried), named).orElseThrow(() ->
                new IllegalStateException("check() refuses a patch without its target: " + patch.path()));
        int slash = object.apiVersion().indexOf('/');
        return map(
                "group", slash < 0 ? null : object.apiVersion().substring(0, slash),
                "version", object.apiVersion().substring(slash + 1),
                "kind", object.kind(),
                "name", object.name());
    }

    /** The object a patch or resource names: same kind and name, and the same apiVersion when it gives one. */
    private static Optional<CarriedFile.ObjectRef> find(List<CarriedFile.ObjectRef> objects, CarriedFile.ObjectRef named) {
        return objects.stream().filter(o -> o.kind().equals(named.kind()) && o.name().equals(named.name())
                && (named.apiVersion() == null || o.apiVersion().equals(named.apiVersion()))).findFirst();
    }

    private static String candidates(List<CarriedFile.ObjectRef> objects, CarriedFile.ObjectRef target) {
        TreeSet<String> sameKind = new TreeSet<>();
        objects.stream().filter(o -> o.kind().equals(target.kind())).forEach(o -> sameKind.add(o + ""));
        return sameKind.isEmpty()
                ? "the folder has no " + target.kind() + "; its kinds are " + String.join(", ", new TreeSet<>(objects.stream().map(CarriedFile.ObjectRef::kind).toList()))
                : "its " + target.kind() + " objects are " + String.join(", ", sameKind);
    }

    /** The objects of the generated files (apiVersion, kind, metadata.name of each document) and of the resources. */
    private static List<CarriedFile.ObjectRef> objects(List<Manifest> generated, List<CarriedFile> carried) {
        List<CarriedFile.ObjectRef> objects = new ArrayList<>();
        for (Manifest manifest : generated) {
            for (Node document : manifest.documents()) {
                objects.add(new CarriedFile.ObjectRef(text(document, "apiVersion"), text(document, "kind"), text(field(document, "metadata"), "name")));
            }
        }
        for (CarriedFile file : carried) {
            if (file.kind() == CarriedFile.Kind.RESOURCE) {
                file.documents().forEach(document -> CarriedFile.objectRef(document).ifPresent(objects::add));
            }
        }
        return objects;
    }

    private static Node field(Node node, String key) {
        if (node instanceof Node.Mapping mapping) {
            for (Node.Entry entry : mapping.entries()) {
                if (entry.key().equals(key)) {
                    return entry.value();
                }
            }
        }
        throw new IllegalStateException("an environment's object has literal " + key + ": " + node);
    }

    private static String text(Node node, String key) {
        return (String) ((Node.Scalar) field(node, key)).value().value();
    }
}
