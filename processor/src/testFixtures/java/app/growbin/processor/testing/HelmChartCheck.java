package app.growbin.processor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The exported Helm chart against an environment folder: {@code helm template} with the chart's
 * {@code values-<env>.yaml} must render exactly the objects of {@code <output>/<env>/}, object by
 * object, and {@code helm lint} must pass. The environment's own {@code patches/} and {@code resources/}
 * are kustomize's alone and are not compared: the chart renders the generated objects, unpatched.
 * Helm runs in-process (helm-java: the Helm SDK through JNA),
 * so the check is part of {@code mvn verify} without a helm binary.
 */
public final class HelmChartCheck {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The folders of an environment that only kustomize reads: the environment's own patches and resources. */
    public static final Set<String> KUSTOMIZE_ONLY = Set.of("patches", "resources");

    private HelmChartCheck() {}

    /**
     * The differences between what the chart renders for {@code environment} and the objects of its
     * folder, one line each; empty when they are the same objects.
     */
    public static List<String> differences(Path chart, Path environmentFolder) {
        String environment = environmentFolder.getFileName().toString();
        Path values = chart.resolve("values-" + environment + ".yaml");
        String rendered = new Helm(chart).template().withName(chart.getFileName().toString()).withValuesFile(values).call();
        Map<String, JsonNode> fromChart = objects(rendered, "helm template -f " + values.getFileName());
        Map<String, JsonNode> fromFolder = new TreeMap<>();
        for (Path file : manifests(environmentFolder)) {
            fromFolder.putAll(objects(read(file), file.toString()));
        }
        List<String> differences = new ArrayList<>();
        Set<String> names = new TreeSet<>(fromChart.keySet());
        names.addAll(fromFolder.keySet());
        for (String name : names) {
            JsonNode mine = fromFolder.get(name);
            JsonNode theirs = fromChart.get(name);
            if (mine == null) {
                differences.add(name + ": rendered by the chart, not in " + environmentFolder);
            } else if (theirs == null) {
                differences.add(name + ": in " + environmentFolder + ", not rendered by the chart");
            } else if (!mine.equals(theirs)) {
                List<String> fields = new ArrayList<>();
                compare("", mine, theirs, fields);
                differences.add(name + " differs at " + String.join("; ", fields.subList(0, Math.min(fields.size(), 10))));
            }
        }
        return differences;
    }

    /** Where two trees differ, as JSON pointers with both values. */
    private static void compare(String pointer, JsonNode folder, JsonNode chart, List<String> differences) {
        if (folder.isObject() && chart.isObject()) {
            Set<String> fields = new TreeSet<>();
            folder.fieldNames().forEachRemaining(fields::add);
            chart.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                compare(pointer + "/" + field, folder.path(field), chart.path(field), differences);
            }
        } else if (folder.isArray() && chart.isArray() && folder.size() == chart.size()) {
            for (int i = 0; i < folder.size(); i++) {
                compare(pointer + "/" + i, folder.get(i), chart.get(i), differences);
            }
        } else if (!folder.equals(chart)) {
            differences.add(pointer + ": folder " + folder + ", chart " + chart);
        }
    }

    /** {@code helm lint --strict} of the chart (with its values.yaml): its messages when it fails, else empty. */
    public static List<String> lint(Path chart) {
        LintResult result = new Helm(chart).lint().strict().call();
        List<String> messages = new ArrayList<>();
        if (result.isFailed()) {
            messages.addAll(result.getMessages());
        }
        return messages;
    }

    /**
     * The generated files of an environment folder: not its kustomization.yaml, and not what the
     * environment carries for kustomize alone ({@code patches/}, {@code resources/}), which the chart
     * does not hold (see "The Helm chart export" in docs/ARCHITECTURE.md).
     */
    private static List<Path> manifests(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !KUSTOMIZE_ONLY.contains(folder.relativize(f).getName(0).toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of a multi-document YAML text, by {@code kind/name}. */
    private static Map<String, JsonNode> objects(String text, String origin) {
        Map<String, JsonNode> objects = new TreeMap<>();
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
                    continue;
                }
                String name = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
                if (objects.put(name, document) != null) {
                    throw new IllegalStateException(origin + " holds " + name + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(origin + ": not YAML", e);
        }
        return objects;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
