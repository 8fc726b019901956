package app.growbin.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.processor.testing.HelmChartCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * One application under test: a values folder, an output folder and the tests folder beside it (all
 * inside a JUnit temp dir), and compiles of Java sources with the Growbin processor pointed at them.
 */
final class GrowbinProject {

    /** values.yaml with only what every environment needs. */
    static final String MINIMAL_VALUES = """
            global:
              appName: shop
              image:
                repository: acme/shop
                tag: "1.0.0"
            """;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    final Path config;
    final Path output;
    /** Where the processor writes the alerts' promtool tests: beside the output folder, named after it. */
    final Path tests;

    GrowbinProject(Path root) {
        this.config = root.resolve("k8s");
        this.output = root.resolve("k8s-out");
        this.tests = root.resolve("k8s-out-tests");
        try {
            Files.createDirectories(config);
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project with {@link #MINIMAL_VALUES} and an empty {@code values-dev.yaml}. */
    static GrowbinProject minimal(Path root) {
        return new GrowbinProject(root).values("values.yaml", MINIMAL_VALUES).values("values-dev.yaml", "");
    }

    GrowbinProject values(String fileName, String yaml) {
        try {
            Files.writeString(config.resolve(fileName), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A file below the values folder, such as {@code dev/patches/tolerations.yaml}; folders are created. */
    GrowbinProject configFile(String relativePath, String text) {
        try {
            Path file = config.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    GrowbinProject deleteValues(String fileName) {
        try {
            Files.delete(config.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Compilation compile(JavaFileObject... sources) {
        return compile(List.of(), sources);
    }

    Compilation compile(List<String> extraOptions, JavaFileObject... sources) {
        List<String> options = new ArrayList<>(List.of("-Agrowbin.config=" + config, "-Agrowbin.output=" + output));
        options.addAll(extraOptions);
        Compilation compilation = Compiler.javac().withProcessors(new GrowbinProcessor()).withOptions(options)
                .withClasspath(MANIFESTS_ONLY_CLASSPATH).compile(sources);
        assertNeverCrashed(compilation);
        if (compilation.status() == Compilation.Status.SUCCESS) {
            assertEveryObjectIsTyped();
            assertOutputHoldsOnlyWholeObjects();
            assertChartRendersEveryEnvironment();
        }
        return compilation;
    }

    /** After every successful compile: every object fabric8 has a type for uses only fields that type knows. */
    void assertEveryObjectIsTyped() {
        outputFiles().forEach((path, text) -> {
            if (path.endsWith(".yaml") && !path.startsWith("helm/")) {
                assertEquals(List.of(), KubernetesTypes.unknownFields(text), "fields unknown to the Kubernetes types in " + path);
            }
        });
    }

    /**
     * After every successful compile: the output folder holds only what GitOps tooling may read as
     * objects (environment folders, {@code argocd/}, {@code helm/}, {@code README.md}), and every YAML
     * document of an environment folder but its kustomization.yaml is a whole object (apiVersion,
     * kind, metadata.name), not a partial one such as a patch.
     */
    void assertOutputHoldsOnlyWholeObjects() {
        assertEquals(List.of(), OutputLayout.problems(output), "the output folder " + output);
    }

    /**
     * After every successful compile of every test: the exported chart, rendered by Helm with each
     * environment's values file, gives exactly the objects of that environment's folder.
     */
    void assertChartRendersEveryEnvironment() {
        Path helm = output.resolve("helm");
        if (!Files.isDirectory(helm)) {
            return;
        }
        try (Stream<Path> charts = Files.list(helm)) {
            for (Path chart : charts.toList()) {
                assertEquals(List.of(), HelmChartCheck.lint(chart), "helm lint " + chart);
                try (Stream<Path> files = Files.list(chart)) {
                    for (Path values : files.filter(f -> f.getFileName().toString().matches("values-.+\\.yaml")).sorted().toList()) {
                        String environment = values.getFileName().toString().replaceAll("^values-|\\.yaml$", "");
                        assertEquals(List.of(), HelmChartCheck.differences(chart, output.resolve(environment)),
                                "helm template " + chart.getFileName() + " -f " + values.getFileName() + " against " + environment + "/");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test classpath without growbin-runtime: these inputs are plain classes, so the processor
     * writes manifests only (the catalog and its rules need the runtime; see CatalogGenerationTest).
     */
    static final List<java.io.File> MANIFESTS_ONLY_CLASSPATH = java.util.Arrays.stream(
                    System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(entry -> !entry.contains("growbin-runtime") && !entry.replace('\\', '/').contains("runtime/target/classes"))
            .map(java.io.File::new)
            .toList();

    /** Every file under the output folder: '/'-separated relative path to text. */
    SortedMap<String, String> outputFiles() {
        return filesUnder(output);
    }

    static SortedMap<String, String> filesUnder(Path folder) {
        SortedMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every file of the tests folder: '/'-separated relative path to text. */
    SortedMap<String, String> testFiles() {
        return filesUnder(tests);
    }

    boolean existsTest(String relative) {
        return Files.exists(tests.resolve(relative));
    }

    /** A file of the tests folder, such as {@code dev.test.yaml}. */
    String readTest(String relative) {
        try {
            return Files.readString(tests.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode yamlTest(String relative) {
        try {
            return YAML.readTree(readTest(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(String relative) {
        return Files.exists(output.resolve(relative));
    }

    String read(String relative) {
        try {
            return Files.readString(output.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generated file as a YAML tree (its first document), for assertions on single fields. */
    JsonNode yaml(String relative) {
        try {
            return YAML.readTree(read(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertNothingWritten() {
        assertEquals(List.of(), List.copyOf(outputFiles().keySet()), "a rejected compile must not write any file");
        assertEquals(List.of(), List.copyOf(testFiles().keySet()), "a rejected compile must not write any test");
    }

    /** The processor reports its own problems; it never lets javac print "threw an uncaught exception". */
    static void assertNeverCrashed(Compilation compilation) {
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            String message = diagnostic.getMessage(null);
            assertWithMessage("processor crashed: %s", message).that(message).doesNotContain("uncaught exception");
            assertWithMessage("processor failed internally: %s", message).that(message).doesNotContain("[growbin:internal]");
        }
    }

    /** A source in package {@code test} importing every Growbin annotation; {@code body} is the rest of the file. */
    static JavaFileObject source(String simpleName, String body) {
        return JavaFileObjects.forSourceString("test." + simpleName,
                "package test;\n\nimport app.growbin.annotations.*;\n\n" + body);
    }
}
