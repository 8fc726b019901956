package app.growbin.processor.read;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.Env;
import app.growbin.annotations.HttpLimits;
import app.growbin.annotations.Envs;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.NodeSelectors;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.SecretEnvs;
import app.growbin.annotations.SendsTasks;
import app.growbin.annotations.Slo;
import app.growbin.annotations.Task;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** Reads the Growbin annotations of a set of elements into {@link Declarations}. */
public final class DeclarationReader {

    private static final List<Class<?>> MODIFIERS = List.of(
            Resources.class, HttpLimits.class, NodeSelector.class, NodeSelectors.class, Autoscaling.class,
            Env.class, Envs.class, SecretEnv.class, SecretEnvs.class, SendsTasks.class, Slo.class);

    /** The runtime interface REST classes implement; the generated catalog creates them as one. */
    public static final String REST_API = "app.growbin.runtime.RestApi";
    /** The runtime interface of the generated catalog; its presence switches Java generation on. */
    public static final String APPLICATION_CATALOG = "app.growbin.runtime.ApplicationCatalog";

    private final Elements elements;
    private final Types types;
    private final TypeElement restApi;

    public DeclarationReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
        this.restApi = elements.getTypeElement(APPLICATION_CATALOG) != null ? elements.getTypeElement(REST_API) : null;
    }

    /** Reads every type and method among {@code annotated}; order of the result is by class name. */
    public Declarations read(Set<? extends Element> annotated) {
        TreeMap<String, TypeElement> types = new TreeMap<>();
        List<ExecutableElement> taskMethods = new ArrayList<>();
        for (Element element : annotated) {
            if (element instanceof TypeElement type) {
                types.put(type.getQualifiedName().toString(), type);
            } else if (element instanceof ExecutableElement method && find(method, Task.class) != null) {
                taskMethods.add(method);
            }
        }
        List<DeclaredWorkload> workloads = new ArrayList<>();
        List<Located<String>> orphanModifiers = new ArrayList<>();
        for (TypeElement type : types.values()) {
            AnnotationMirror rest = find(type, RestService.class);
            AnnotationMirror worker = find(type, AsyncWorker.class);
            try {
                if (rest != null) {
                    workloads.add(readWorkload(type, rest, WorkloadKind.REST));
                }
                if (worker != null) {
                    workloads.add(readWorkload(type, worker, WorkloadKind.ASYNC));
                }
            } catch (AnnotationMembers.UnreadableAnnotationException javacReportsIt) {
                continue;
            }
            if (rest == null && worker == null) {
                for (Class<?> modifier : MODIFIERS) {
                    AnnotationMirror mirror = find(type, modifier);
                    if (mirror != null) {
                        orphanModifiers.add(new Located<>("@" + modifier.getSimpleName(), new Site.InSource(type, mirror, null)));
                    }
                }
            }
        }
        List<Site> orphanTasks = new ArrayList<>();
        taskMethods.sort(Comparator.comparing(DeclarationReader::methodKey));
        for (ExecutableElement method : taskMethods) {
            Element owner = method.getEnclosingElement();
            if (find(owner, AsyncWorker.class) == null) {
                orphanTasks.add(new Site.InSource(method, find(method, Task.class), null));
            }
        }
        return new Declarations(workloads, orphanTasks, orphanModifiers, restApi != null);
    }

    /**
     * Whether the class {@code className} exists and still carries the annotation of {@code kind}:
     * the test a declaration record of a class that this compilation does not compile must pass.
     */
    public boolean stillDeclares(String className, WorkloadKind kind) {
        TypeElement type = elements.getTypeElement(className);
        return type != null && find(type, kind == WorkloadKind.REST ? RestService.class : AsyncWorker.class) != null;
    }

    private DeclaredWorkload readWorkload(TypeElement type, AnnotationMirror mirror, WorkloadKind kind) {
        AnnotationMembers members = new AnnotationMembers(type, mirror, elements);
        String addressMember = kind == WorkloadKind.REST ? "path" : "queue";
        Located<String> address = members.string(addressMember);
        Located<String> name = members.isExplicit("name")
                ? members.string("name")
                : new Located<>(kind == WorkloadKind.REST ? lastSegment(address.value()) : withoutQueuePrefix(address.value()), address.site());
        boolean concrete = type.getKind() == ElementKind.CLASS && !type.getModifiers().contains(Modifier.ABSTRACT);
        return new DeclaredWorkload(
                kind,
                Site.InSource.of(type),
                type.getQualifiedName().toString(),
                concrete,
                instantiable(type),
                kind == WorkloadKind.REST && restApi != null
                        ? Optional.of(types.isAssignable(types.erasure(type.asType()), types.erasure(restApi.asType())))
                        : Optional.empty(),
                address,
                name,
                members.integer("replicas"),
                kind == WorkloadKind.REST ? Optional.of(members.integer("port")) : Optional.empty(),
                kind == WorkloadKind.ASYNC ? Optional.of(members.enumeration("pool", Pool.class)) : Optional.empty(),
                kind == WorkloadKind.ASYNC ? Optional.of(members.integer("concurrency")) : Optional.empty(),
                kind == WorkloadKind.ASYNC ? Optional.of(members.integer("timeLimitSeconds")) : Optional.empty(),
                members.bool("enabled"),
                readResources(type),
                readRepeated(type, NodeSelector.class, NodeSelectors.class, m -> new DeclaredWorkload.DeclaredPair(m.string("key"), m.string("value"))),
                readAutoscaling(type),
                readAutoscalingDefaults(type),
                kind == WorkloadKind.REST ? readHttpLimits(type) : Map.of(),
                kind == WorkloadKind.ASYNC ? Optional.ofNullable(find(type, HttpLimits.class)).map(limits -> (Site) new Site.InSource(type, limits, null))
                        : Optional.empty(),
                readRepeated(type, Env.class, Envs.class, m -> new DeclaredWorkload.DeclaredPair(m.string("name"), m.string("value"))),
                readRepeated(type, SecretEnv.class, SecretEnvs.class, m -> new DeclaredWorkload.DeclaredSecretEnv(m.string("name"), m.string("secret"), m.string("key"))),
                kind == WorkloadKind.ASYNC ? readTasks(type, name.value()) : List.of(),
                readSends(type, "value"),
                readSends(type, "chain"),
                readSlo(type));
    }

    private List<Located<String>> readSends(TypeElement type, String member) {
        AnnotationMirror mirror = find(type, SendsTasks.class);
        return mirror == null ? List.of() : new AnnotationMembers(type, mirror, elements).classes(member);
    }

    /** {@code @Slo}, or its members' defaults (no objective) sited at the class. */
    private DeclaredWorkload.DeclaredSlo readSlo(TypeElement type) {
        AnnotationMembers members = membersOrDefaults(type, Slo.class);
        AnnotationMirror mirror = find(type, Slo.class);
        return new DeclaredWorkload.DeclaredSlo(members.number("availability"), members.number("latencyPercentile"),
                members.number("latencyThresholdSeconds"), Optional.ofNullable(mirror).map(m -> (Site) new Site.InSource(type, m, null)));
    }

    private DeclaredWorkload.DeclaredResources readResources(TypeElement type) {
        AnnotationMembers members = membersOrDefaults(type, Resources.class);
        return new DeclaredWorkload.DeclaredResources(
                members.string("cpu"), members.string("memory"), members.string("cpuLimit"), members.string("memoryLimit"));
    }

    /** The annotation's members on {@code type}, or its members' defaults (sited at the class) when absent. */
    private AnnotationMembers membersOrDefaults(TypeElement type, Class<?> annotation) {
        AnnotationMirror mirror = find(type, annotation);
        return mirror != null ? new AnnotationMembers(type, mirror, elements)
                : AnnotationMembers.defaultsOf(type, elements.getTypeElement(annotation.getCanonicalName()));
    }

    /** {@code @HttpLimits} member by member, each 0 (the runtime's default) when the class does not say. */
    private Map<String, Located<Integer>> readHttpLimits(TypeElement type) {
        AnnotationMembers members = membersOrDefaults(type, HttpLimits.class);
        Map<String, Located<Integer>> limits = new TreeMap<>();
        for (ExecutableElement member : ElementFilter.methodsIn(elements.getTypeElement(HttpLimits.class.getCanonicalName()).getEnclosedElements())) {
            String name = member.getSimpleName().toString();
            limits.put(name, members.integer(name));
        }
        return limits;
    }

    /** What an autoscaler turned on by the values files starts from when the class has no {@code @Autoscaling}. */
    private DeclaredWorkload.AutoscalingDefaults readAutoscalingDefaults(TypeElement type) {
        AnnotationMembers members = AnnotationMembers.defaultsOf(type, elements.getTypeElement(Autoscaling.class.getCanonicalName()));
        return new DeclaredWorkload.AutoscalingDefaults(members.integer("minReplicas"), members.integer("targetCpuUtilization"),
                members.integer("queueLength"));
    }

    private Optional<DeclaredWorkload.DeclaredAutoscaling> readAutoscaling(TypeElement type) {
        AnnotationMirror mirror = find(type, Autoscaling.class);
        if (mirror == null) {
            return Optional.empty();
        }
        AnnotationMembers members = new AnnotationMembers(type, mirror, elements);
        return Optional.of(new DeclaredWorkload.DeclaredAutoscaling(
                members.integer("minReplicas"), members.integer("maxReplicas"), members.integer("targetCpuUtilization"),
                members.integer("queueLength"), members.isExplicit("targetCpuUtilization")));
    }

    private <T> List<T> readRepeated(TypeElement type, Class<?> single, Class<?> container, Function<AnnotationMembers, T> reader) {
        List<T> result = new ArrayList<>();
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            String annotation = annotationName(mirror);
            if (annotation.equals(single.getCanonicalName())) {
                result.add(reader.apply(new AnnotationMembers(type, mirror, elements)));
            } else if (annotation.equals(container.getCanonicalName())) {
                for (AnnotationMirror repeated : repeatedMirrors(mirror)) {
                    result.add(reader.apply(new AnnotationMembers(type, repeated, elements)));
                }
            }
        }
        return result;
    }

    private static List<AnnotationMirror> repeatedMirrors(AnnotationMirror container) {
        List<AnnotationMirror> mirrors = new ArrayList<>();
        container.getElementValues().forEach((member, value) -> {
            if (member.getSimpleName().contentEquals("value") && value.getValue() instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof javax.lang.model.element.AnnotationValue annotationValue
                            && annotationValue.getValue() instanceof AnnotationMirror repeated) {
                        mirrors.add(repeated);
                    }
                }
            }
        });
        return mirrors;
    }

    private List<DeclaredWorkload.DeclaredTask> readTasks(TypeElement type, String workerName) {
        List<DeclaredWorkload.DeclaredTask> tasks = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            AnnotationMirror mirror = find(method, Task.class);
            if (mirror == null) {
                continue;
            }
            AnnotationMembers members = new AnnotationMembers(method, mirror, elements);
            Located<String> explicit = members.string("value");
            String methodName = method.getSimpleName().toString();
            Located<String> name = explicit.value().isEmpty()
                    ? new Located<>(workerName + "." + methodName, new Site.InSource(method, mirror, null))
                    : explicit;
            List<String> parameterNames = new ArrayList<>();
            List<String> parameterTypes = new ArrayList<>();
            for (VariableElement parameter : method.getParameters()) {
                parameterNames.add(parameter.getSimpleName().toString());
                parameterTypes.add(parameter.asType().toString());
            }
            boolean callable = method.getModifiers().contains(Modifier.PUBLIC) && !method.getModifiers().contains(Modifier.STATIC)
                    && method.getTypeParameters().isEmpty();
            tasks.add(new DeclaredWorkload.DeclaredTask(name, methodName, parameterNames, parameterTypes, method.getReturnType().toString(), callable));
        }
        return tasks;
    }

    private static boolean instantiable(TypeElement type) {
        if (!type.getModifiers().contains(Modifier.PUBLIC) || type.getNestingKind().isNested() && !type.getModifiers().contains(Modifier.STATIC)) {
            return false;
        }
        List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
        return constructors.stream().anyMatch(c -> c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
    }

    static String lastSegment(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static String withoutQueuePrefix(String queue) {
        return queue.startsWith("q.") ? queue.substring(2) : queue;
    }

    private static String methodKey(ExecutableElement method) {
        return ((TypeElement) method.getEnclosingElement()).getQualifiedName() + "#" + method.getSimpleName();
    }

    private static String annotationName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static AnnotationMirror find(Element element, Class<?> annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (annotationName(mirror).equals(annotation.getCanonicalName())) {
                return mirror;
            }
        }
        return null;
    }
}
