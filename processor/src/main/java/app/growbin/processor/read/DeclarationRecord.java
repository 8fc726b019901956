package app.growbin.processor.read;

import app.growbin.annotations.Pool;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The declaration record of one annotated class: everything {@link DeclaredWorkload} holds, as a
 * small JSON file that the processor leaves in the class output ({@link #FOLDER}) with the class as
 * originating element. A later compilation that does not compile the class (an IDE or Gradle
 * compiling only what changed) reads the record instead, so that it sees the whole application.
 * The values read back are sited at the record ({@link Site.InRecord}), the class not being in
 * that compilation.
 */
public final class DeclarationRecord {

    /** Where the records are, in the class output. */
    public static final String FOLDER = "META-INF/growbin/declarations";
    /** Bumped when the layout changes; a record of another format is ignored (a full build rewrites it). */
    static final int FORMAT = 3;
    private static final String SUFFIX = ".json";
    private DeclarationRecord() {}

    /** The record's file name in {@link #FOLDER}: the class name and the kind ({@code app.Foo.rest.json}), which are unique. */
    public static String fileName(DeclaredWorkload workload) {
        return workload.className() + "." + workload.kind().valuesKey() + SUFFIX;
    }

    /** The file name of a record without the suffix ({@code app.Foo.rest}), when it is one. */
    static Optional<String> recordName(String fileName) {
        return fileName.endsWith(SUFFIX) ? Optional.of(fileName.substring(0, fileName.length() - SUFFIX.length())) : Optional.empty();
    }

    /** The record of {@code workload}, deterministic: the same declaration gives the same bytes. */
    public static String text(DeclaredWorkload workload) {
        RecordJson json = new RecordJson();
        {
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeStringField("kind", workload.kind().name());
            json.writeStringField("class", workload.className());
            json.writeBooleanField("concrete", workload.concrete());
            json.writeBooleanField("instantiable", workload.instantiable());
            if (workload.implementsRestApi().isPresent()) {
                json.writeBooleanField("implementsRestApi", workload.implementsRestApi().get());
            }
            json.writeStringField("address", workload.address().value());
            json.writeStringField("name", workload.name().value());
            json.writeBooleanField("nameExplicit", !workload.name().site().equals(workload.address().site()));
            json.writeNumberField("replicas", workload.replicas().value());
            if (workload.port().isPresent()) {
                json.writeNumberField("port", workload.port().get().value());
            }
            if (workload.pool().isPresent()) {
                json.writeStringField("pool", workload.pool().get().value().name());
            }
            if (workload.concurrency().isPresent()) {
                json.writeNumberField("concurrency", workload.concurrency().get().value());
            }
            if (workload.timeLimitSeconds().isPresent()) {
                json.writeNumberField("timeLimitSeconds", workload.timeLimitSeconds().get().value());
            }
            json.writeBooleanField("enabled", workload.enabled().value());
            DeclaredWorkload.DeclaredResources resources = workload.resources();
            json.writeObjectFieldStart("resources");
            json.writeStringField("cpu", resources.cpu().value());
            json.writeStringField("memory", resources.memory().value());
            json.writeStringField("cpuLimit", resources.cpuLimit().value());
            json.writeStringField("memoryLimit", resources.memoryLimit().value());
            json.writeEndObject();
            writePairs(json, "nodeSelector", workload.nodeSelector());
            if (workload.autoscaling().isPresent()) {
                DeclaredWorkload.DeclaredAutoscaling autoscaling = workload.autoscaling().get();
                json.writeObjectFieldStart("autoscaling");
                json.writeNumberField("minReplicas", autoscaling.minReplicas().value());
                json.writeNumberField("maxReplicas", autoscaling.maxReplicas().value());
                json.writeNumberField("targetCpuUtilization", autoscaling.targetCpuUtilization().value());
                json.writeNumberField("queueLength", autoscaling.queueLength().value());
                json.writeBooleanField("cpuTargetExplicit", autoscaling.cpuTargetExplicit());
                json.writeEndObject();
            }
            DeclaredWorkload.AutoscalingDefaults defaults = workload.autoscalingDefaults();
            json.writeObjectFieldStart("autoscalingDefaults");
            json.writeNumberField("minReplicas", defaults.minReplicas().value());
            json.writeNumberField("targetCpuUtilization", defaults.targetCpuUtilization().value());
            json.writeNumberField("queueLength", defaults.queueLength().value());
            json.writeEndObject();
            json.writeObjectFieldStart("httpLimits");
            for (Map.Entry<String, Located<Integer>> limit : new TreeMap<>(workload.httpLimits()).entrySet()) {
                json.writeNumberField(limit.getKey(), limit.getValue().value());
            }
            json.writeEndObject();
            json.writeBooleanField("misplacedHttpLimits", workload.misplacedHttpLimits().isPresent());
            writePairs(json, "env", workload.env());
            json.writeArrayFieldStart("secretEnv");
            for (DeclaredWorkload.DeclaredSecretEnv secret : workload.secretEnv()) {
                json.writeStartArray();
                json.writeString(secret.name().value());
                json.writeString(secret.secret().value());
                json.writeString(secret.key().value());
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("tasks");
            for (DeclaredWorkload.DeclaredTask task : workload.tasks()) {
                json.writeStartObject();
                json.writeStringField("name", task.name().value());
                json.writeStringField("method", task.methodName());
                writeStrings(json, "parameterNames", task.parameterNames());
                writeStrings(json, "parameterTypes", task.parameterTypes());
                json.writeStringField("returnType", task.returnType());
                json.writeBooleanField("callable", task.callable());
                json.writeEndObject();
            }
            json.writeEndArray();
            writeStrings(json, "sendsTo", workload.sendsTo().stream().map(Located::value).toList());
            writeStrings(json, "chain", workload.chain().stream().map(Located::value).toList());
            DeclaredWorkload.DeclaredSlo slo = workload.slo();
            json.writeObjectFieldStart("slo");
            json.writeBooleanField("present", slo.annotation().isPresent());
            for (String member : SLO_MEMBERS) {
                // as decimal text, so that the record gives back exactly the number the annotation says
                json.writeStringField(member, Double.toString(slo.member(member).value()));
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return json.text() + "\n";
    }

    /**
     * The declaration a record holds, or empty when it is not a record of this format (a processor
     * upgrade: a full build writes it again).
     *
     * @throws IllegalArgumentException when the text is not a well-formed record
     */
    static Optional<DeclaredWorkload> parse(String text) {
        Map<String, Object> record = object(read(text), "record");
        if (!Integer.valueOf(FORMAT).equals(record.get("format"))) {
            return Optional.empty();
        }
        WorkloadKind kind = WorkloadKind.valueOf(string(record, "kind"));
        String className = string(record, "class");
        String annotation = kind == WorkloadKind.REST ? "@RestService" : "@AsyncWorker";
        Function<String, Site> at = member -> new Site.InRecord(className, member);
        Located<String> address = new Located<>(string(record, "address"), at.apply(annotation + (kind == WorkloadKind.REST ? ".path" : ".queue")));
        Located<String> name = Boolean.TRUE.equals(record.get("nameExplicit"))
                ? new Located<>(string(record, "name"), at.apply(annotation + ".name"))
                : new Located<>(string(record, "name"), address.site());
        Map<String, Object> resources = object(record.get("resources"), "resources");
        Map<String, Object> defaults = object(record.get("autoscalingDefaults"), "autoscalingDefaults");
        Site classSite = at.apply("");
        Optional<DeclaredWorkload.DeclaredAutoscaling> autoscaling = Optional.ofNullable(record.get("autoscaling"))
                .map(a -> object(a, "autoscaling"))
                .map(a -> new DeclaredWorkload.DeclaredAutoscaling(
                        integer(a, "minReplicas", at.apply("@Autoscaling.minReplicas")),
                        integer(a, "maxReplicas", at.apply("@Autoscaling.maxReplicas")),
                        integer(a, "targetCpuUtilization", at.apply("@Autoscaling.targetCpuUtilization")),
                        integer(a, "queueLength", at.apply("@Autoscaling.queueLength")),
                        Boolean.TRUE.equals(a.get("cpuTargetExplicit"))));
        List<DeclaredWorkload.DeclaredTask> tasks = new ArrayList<>();
        for (Object item : list(record.get("tasks"), "tasks")) {
            Map<String, Object> task = object(item, "task");
            String method = string(task, "method");
            tasks.add(new DeclaredWorkload.DeclaredTask(new Located<>(string(task, "name"), at.apply("@Task of " + method + "()")),
                    method, strings(task.get("parameterNames")), strings(task.get("parameterTypes")), string(task, "returnType"),
                    Boolean.TRUE.equals(task.get("callable"))));
        }
        List<DeclaredWorkload.DeclaredSecretEnv> secretEnv = new ArrayList<>();
        for (Object item : list(record.get("secretEnv"), "secretEnv")) {
            List<String> fields = strings(item);
            Site site = at.apply("@SecretEnv(name = \"" + fields.get(0) + "\")");
            secretEnv.add(new DeclaredWorkload.DeclaredSecretEnv(new Located<>(fields.get(0), site), new Located<>(fields.get(1), site),
                    new Located<>(fields.get(2), site)));
        }
        return Optional.of(new DeclaredWorkload(
                kind,
                classSite,
                className,
                Boolean.TRUE.equals(record.get("concrete")),
                Boolean.TRUE.equals(record.get("instantiable")),
                Optional.ofNullable((Boolean) record.get("implementsRestApi")),
                address,
                name,
                integer(record, "replicas", at.apply(annotation + ".replicas")),
                optionalInteger(record, "port", at.apply(annotation + ".port")),
                Optional.ofNullable((String) record.get("pool")).map(pool -> new Located<>(Pool.valueOf(pool), at.apply(annotation + ".pool"))),
                optionalInteger(record, "concurrency", at.apply(annotation + ".concurrency")),
                optionalInteger(record, "timeLimitSeconds", at.apply(annotation + ".timeLimitSeconds")),
                new Located<>(Boolean.TRUE.equals(record.get("enabled")), at.apply(annotation + ".enabled")),
                new DeclaredWorkload.DeclaredResources(
                        new Located<>(string(resources, "cpu"), at.apply("@Resources.cpu")),
                        new Located<>(string(resources, "memory"), at.apply("@Resources.memory")),
                        new Located<>(string(resources, "cpuLimit"), at.apply("@Resources.cpuLimit")),
                        new Located<>(string(resources, "memoryLimit"), at.apply("@Resources.memoryLimit"))),
                pairs(record.get("nodeSelector"), "@NodeSelector", at),
                autoscaling,
                new DeclaredWorkload.AutoscalingDefaults(integer(defaults, "minReplicas", classSite),
                        integer(defaults, "targetCpuUtilization", classSite), integer(defaults, "queueLength", classSite)),
                httpLimits(object(record.get("httpLimits"), "httpLimits"), at),
                Boolean.TRUE.equals(record.get("misplacedHttpLimits")) ? Optional.of(at.apply("@HttpLimits")) : Optional.empty(),
                pairs(record.get("env"), "@Env", at),
                secretEnv,
                tasks,
                classes(record.get("sendsTo"), at.apply("@SendsTasks.value")),
                classes(record.get("chain"), at.apply("@SendsTasks.chain")),
                slo(object(record.get("slo"), "slo"), at)));
    }

    private static void writePairs(RecordJson json, String field, List<DeclaredWorkload.DeclaredPair> pairs) {
        json.writeArrayFieldStart(field);
        for (DeclaredWorkload.DeclaredPair pair : pairs) {
            json.writeStartArray();
            json.writeString(pair.key().value());
            json.writeString(pair.value().value());
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static void writeStrings(RecordJson json, String field, List<String> values) {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static List<DeclaredWorkload.DeclaredPair> pairs(Object value, String annotation, Function<String, Site> at) {
        List<DeclaredWorkload.DeclaredPair> pairs = new ArrayList<>();
        for (Object item : list(value, annotation)) {
            List<String> pair = strings(item);
            Site site = at.apply(annotation + "(\"" + pair.get(0) + "\")");
            pairs.add(new DeclaredWorkload.DeclaredPair(new Located<>(pair.get(0), site), new Located<>(pair.get(1), site)));
        }
        return pairs;
    }

    private static Map<String, Located<Integer>> httpLimits(Map<String, Object> limits, Function<String, Site> at) {
        Map<String, Located<Integer>> located = new LinkedHashMap<>();
        for (String member : limits.keySet()) {
            located.put(member, integer(limits, member, at.apply("@HttpLimits." + member)));
        }
        return located;
    }

    private static final List<String> SLO_MEMBERS = List.of("availability", "latencyPercentile", "latencyThresholdSeconds");

    private static DeclaredWorkload.DeclaredSlo slo(Map<String, Object> slo, Function<String, Site> at) {
        Map<String, Located<Double>> members = new TreeMap<>();
        for (String member : SLO_MEMBERS) {
            members.put(member, new Located<>(Double.valueOf(string(slo, member)), at.apply("@Slo." + member)));
        }
        return new DeclaredWorkload.DeclaredSlo(members.get("availability"), members.get("latencyPercentile"),
                members.get("latencyThresholdSeconds"), Boolean.TRUE.equals(slo.get("present")) ? Optional.of(at.apply("@Slo")) : Optional.empty());
    }

    private static List<Located<String>> classes(Object value, Site site) {
        return strings(value).stream().map(name -> new Located<>(name, site)).toList();
    }

    /** The record as maps, lists, strings, integers and booleans. */
    private static Object read(String text) {
        return RecordJsonParser.parse(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(what + " is not an object");
    }

    private static List<?> list(Object value, String what) {
        if (value instanceof List<?> items) {
            return items;
        }
        throw new IllegalArgumentException(what + " is not a list");
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(value, "strings")) {
            if (!(item instanceof String text)) {
                throw new IllegalArgumentException(item + " is not a string");
            }
            strings.add(text);
        }
        return strings;
    }

    private static String string(Map<String, Object> object, String field) {
        if (object.get(field) instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException(field + " is not a string");
    }

    private static Located<Integer> integer(Map<String, Object> object, String field, Site site) {
        if (object.get(field) instanceof Integer number) {
            return new Located<>(number, site);
        }
        throw new IllegalArgumentException(field + " is not an integer");
    }

    private static Optional<Located<Integer>> optionalInteger(Map<String, Object> object, String field, Site site) {
        return object.containsKey(field) ? Optional.of(integer(object, field, site)) : Optional.empty();
    }
}
