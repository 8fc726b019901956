package app.growbin.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compilation whose inputs (declarations, values files, carried files, options, processor) are
 * those of the last generation, with {@code k8s-out/} intact, renders nothing: the values files are
 * not parsed, the model is not built, and none of the render or YAML classes is loaded. A changed
 * input, or an output file edited, deleted or added by hand, brings a full generation again.
 *
 * <p>Each compilation loads the processor in a class loader of its own, so that which classes it
 * loaded can be asked afterwards. Sources, classes and k8s-out/ are real folders, with the sample's
 * application and values files (as in IncrementalCompilationTest).
 */
class UnchangedInputsTest {

    /** Classes only a generation loads: YAML parsing, the model, rendering and writing. */
    private static final List<String> GENERATION_CLASSES = List.of(
            "org.yaml.snakeyaml.composer.Composer",
            "app.growbin.processor.read.ValuesFileReader",
            "app.growbin.processor.model.ModelBuilder",
            "app.growbin.processor.render.ManifestSet",
            "app.growbin.processor.render.helm.HelmChartRenderer",
            "app.growbin.processor.write.OutputFiles",
            "app.growbin.processor.write.YamlText",
            "app.growbin.processor.write.YamlWriter");

    /**
     * Classes no compilation loads, generation included: the processor writes its YAML and JSON and
     * reads its records itself (Jackson is on this class path, as the oracle of those writers' tests),
     * and composes YAML without snakeyaml's Yaml facade (which would build a constructor and a representer).
     */
    private static final List<String> NEVER_LOADED = List.of(
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.dataformat.yaml.YAMLGenerator",
            "org.yaml.snakeyaml.emitter.Emitter",
            "org.yaml.snakeyaml.Yaml",
            "org.yaml.snakeyaml.representer.Representer");

    /** What builds the catalog's and task clients' sources; loaded only with the runtime on the class path. */
    private static final String JAVAPOET = "com.palantir.javapoet.JavaFile";

    private static final String SKIPPED = "is up to date";

    @TempDir
    Path root;

    private Path sources;
    private Path classes;
    private GrowbinProject project;

    @BeforeEach
    void sampleApplication() throws IOException {
        sources = Files.createDirectories(root.resolve("src/test"));
        classes = Files.createDirectories(root.resolve("classes"));
        project = new GrowbinProject(root.resolve("app"));
        try (Stream<Path> files = Files.list(AddAndRemoveServiceTest.SAMPLE_VALUES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("values.*\\.yaml")).sorted().toList()) {
                project.values(file.getFileName().toString(), Files.readString(file));
            }
        }
        for (JavaFileObject source : AddAndRemoveServiceTest.SAMPLE) {
            Files.writeString(sources.resolve(source.getName().replaceAll("^.*/", "")), source.getCharContent(true), StandardCharsets.UTF_8);
        }
        Files.writeString(sources.resolve("TextUtil.java"),
                "package test;\n\npublic final class TextUtil { static String trim(String s) { return s.trim(); } }\n", StandardCharsets.UTF_8);
    }

    @Test
    void anUnchangedCompileRendersNothingAndLoadsNoRenderingClass() throws IOException {
        Run first = javac(allSources());
        assertThat(first.errors()).isEmpty();
        assertThat(first.skipped()).isFalse();
        assertThat(first.loaded()).containsExactlyElementsIn(GENERATION_CLASSES);
        SortedMap<String, String> before = project.outputFiles();
        assertThat(before).containsKey("dev/api/rest/waste-deployment.yaml");

        Run again = javac(allSources());
        assertThat(again.errors()).isEmpty();
        assertThat(again.warnings()).isEmpty();
        assertThat(again.notes()).hasSize(1);
        assertThat(again.notes().get(0)).contains(project.output + "/ is up to date");
        assertThat(again.loaded()).isEmpty();
        assertEquals(before, project.outputFiles());

        // an IDE compiling one class: the other declarations come from their records, and are the same
        Run partial = javac(List.of(sources.resolve("TextUtil.java")));
        assertThat(partial.notes()).hasSize(1);
        assertThat(partial.notes().get(0)).contains(SKIPPED);
        assertThat(partial.loaded()).isEmpty();
        assertEquals(before, project.outputFiles());
    }

    @Test
    void aHandEditedOutputFileIsRegenerated() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        SortedMap<String, String> before = project.outputFiles();
        Path deployment = project.output.resolve("prod/api/rest/waste-deployment.yaml");
        Files.writeString(deployment, before.get("prod/api/rest/waste-deployment.yaml") + "# edited by hand\n", StandardCharsets.UTF_8);

        Run run = javac(allSources());
        assertThat(run.errors()).isEmpty();
        assertThat(run.skipped()).isFalse();
        assertThat(run.notes()).contains("growbin: rendering " + project.output + "/: prod/api/rest/waste-deployment.yaml was changed since the last generation");
        assertThat(run.notes()).contains(run.notes().stream().filter(n -> n.startsWith("growbin: " + project.output.resolve("prod") + "/: "))
                .filter(n -> n.endsWith(count(before, "prod/") + " files, 1 written, " + (count(before, "prod/") - 1) + " unchanged, 0 removed"))
                .findFirst().orElse("no NOTE of prod/ with one file written: " + run.notes()));
        assertEquals(before, project.outputFiles());
        assertThat(javac(allSources()).notes().get(0)).contains(SKIPPED);

        // an edit that keeps the size, written back with the file's old modification time (as some tools do)
        String text = before.get("prod/api/rest/waste-deployment.yaml");
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(deployment);
        String edited = text.replaceFirst("maxUnavailable: 0", "maxUnavailable: 1");
        assertThat(edited).isNotEqualTo(text);
        Files.writeString(deployment, edited, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(deployment, modified);
        assertThat(Files.size(deployment)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        Run sameSize = javac(allSources());
        assertThat(sameSize.skipped()).isFalse();
        assertThat(sameSize.notes()).contains("growbin: rendering " + project.output + "/: prod/api/rest/waste-deployment.yaml was changed since the last generation");
        assertEquals(before, project.outputFiles());
    }

    @Test
    void aDeletedOrAddedOutputFileIsRegenerated() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        SortedMap<String, String> before = project.outputFiles();

        Files.delete(project.output.resolve("helm/" + before.keySet().stream().filter(p -> p.startsWith("helm/") && p.endsWith("Chart.yaml"))
                .findFirst().orElseThrow().substring("helm/".length())));
        assertThat(javac(allSources()).skipped()).isFalse();
        assertEquals(before, project.outputFiles());

        Files.writeString(project.output.resolve("dev/api/rest/stray.yaml"), "kind: ConfigMap\n", StandardCharsets.UTF_8);
        Run added = javac(allSources());
        assertThat(added.skipped()).isFalse();
        assertThat(added.notes()).contains("growbin: rendering " + project.output + "/: dev/api/rest/stray.yaml was added since the last generation");
        assertThat(String.join("\n", added.notes())).contains("1 removed (api/rest/stray.yaml)");
        assertEquals(before, project.outputFiles());

        Files.delete(project.output.resolve("README.md"));
        assertThat(javac(allSources()).skipped()).isFalse();
        assertEquals(before, project.outputFiles());
    }

    @Test
    void aDeletedTestFileOrTheOldTestsFolderIsRegenerated() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        SortedMap<String, String> before = project.outputFiles();
        SortedMap<String, String> tests = project.testFiles();
        assertThat(tests).containsKey("dev.test.yaml");

        Files.delete(project.tests.resolve("dev.test.yaml"));
        Run deleted = javac(allSources());
        assertThat(deleted.notes()).contains("growbin: rendering " + project.output + "/: k8s-out-tests/dev.test.yaml was deleted since the last generation");
        assertEquals(tests, project.testFiles());

        // a checkout made by an earlier version still has the tests inside the output folder: a generation removes them
        Path old = Files.createDirectories(project.output.resolve("rule-tests")).resolve("dev.test.yaml");
        Files.writeString(old, tests.get("dev.test.yaml"), StandardCharsets.UTF_8);
        Run upgraded = javac(allSources());
        assertThat(upgraded.skipped()).isFalse();
        assertThat(upgraded.notes()).contains("growbin: rendering " + project.output + "/: rule-tests/dev.test.yaml was added since the last generation");
        assertThat(upgraded.notes()).contains("growbin: removed " + project.output.resolve("rule-tests") + "/: the alerts' promtool tests are in "
                + project.tests + "/ now");
        assertThat(Files.exists(project.output.resolve("rule-tests"))).isFalse();
        assertEquals(before, project.outputFiles());
        assertEquals(tests, project.testFiles());
        assertThat(javac(allSources()).notes().get(0)).contains(SKIPPED);
    }

    @Test
    void aChangedValuesFileCarriedFileOrAnnotationIsRendered() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        String values = Files.readString(project.config.resolve("values-prod.yaml"));

        project.values("values-prod.yaml", values + "\n# a comment changes the bytes, not the output\n");
        Run comment = javac(allSources());
        assertThat(comment.skipped()).isFalse();
        assertThat(comment.notes()).contains("growbin: rendering " + project.output
                + "/: the annotations, values files, carried files, options or processor changed since the last generation");
        assertThat(comment.loaded()).contains("org.yaml.snakeyaml.composer.Composer");
        assertThat(javac(allSources()).notes().get(0)).contains(SKIPPED);

        project.configFile("prod/resources/quota.yaml", """
                apiVersion: v1
                kind: ResourceQuota
                metadata:
                  name: team-quota
                spec:
                  hard:
                    pods: "50"
                """);
        assertThat(javac(allSources()).skipped()).isFalse();
        assertThat(project.exists("prod/resources/quota.yaml")).isTrue();

        SortedMap<String, String> before = project.outputFiles();
        Path waste = sources.resolve("WasteApi.java");
        String text = Files.readString(waste);
        assertThat(text).contains("memoryLimit = \"512Mi\"");
        Files.writeString(waste, text.replace("memoryLimit = \"512Mi\"", "memoryLimit = \"640Mi\""), StandardCharsets.UTF_8);
        Run annotation = javac(List.of(waste));
        assertThat(annotation.errors()).isEmpty();
        assertThat(annotation.skipped()).isFalse();
        assertThat(project.outputFiles()).isNotEqualTo(before);
        assertThat(String.join("\n", project.outputFiles().values())).contains("640Mi");
    }

    @Test
    void aCompileWithAProblemIsNeverSkippedAfterwards() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        String values = Files.readString(project.config.resolve("values.yaml"));
        project.values("values-qa.yaml", "api:\n  rest:\n    wste:\n      replicas: 2\n");
        assertThat(javac(allSources()).errors()).hasSize(1);
        assertThat(javac(allSources()).errors()).hasSize(1);
        Files.delete(project.config.resolve("values-qa.yaml"));
        Run fixed = javac(allSources());
        assertThat(fixed.errors()).isEmpty();
        assertThat(fixed.skipped()).isFalse();
        assertThat(values).isEqualTo(Files.readString(project.config.resolve("values.yaml")));
        assertThat(javac(allSources()).notes().get(0)).contains(SKIPPED);
    }

    @Test
    void theGeneratedSourcesOfAnUnchangedCompileAreWrittenOnlyWhenTheClassOutputLostThem() throws IOException {
        for (Path source : allSources()) {
            String text = Files.readString(source);
            Files.writeString(source, text.replaceAll("public final class (\\w+Api) \\{\\}", "public final class $1 implements"
                    + " app.growbin.runtime.RestApi { public void routes(app.growbin.runtime.Routes routes, app.growbin.runtime.ServiceContext context) {} }"),
                    StandardCharsets.UTF_8);
        }
        Run first = javacWithRuntime(allSources());
        assertThat(first.errors()).isEmpty();
        assertThat(first.loaded()).contains(JAVAPOET);
        Path catalogSource = root.resolve("generated/test/GrowbinCatalog.java");
        Path catalogClass = classes.resolve("test/GrowbinCatalog.class");
        Path services = classes.resolve("META-INF/services/app.growbin.runtime.ApplicationCatalog");
        String catalog = Files.readString(catalogSource);
        byte[] compiled = Files.readAllBytes(catalogClass);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(catalogSource);

        // javac or an IDE into the class output the last compilation left: the catalog is there, no source is written
        Run again = javacWithRuntime(allSources());
        assertThat(again.errors()).isEmpty();
        assertThat(again.skipped()).isTrue();
        assertThat(again.loaded()).isEmpty();
        assertEquals(written, Files.getLastModifiedTime(catalogSource), "the catalog's source was not written again");
        assertThat(Files.readAllBytes(catalogClass)).isEqualTo(compiled);

        // Maven deletes what the last compilation created in the class output: the sources come back from the
        // last generation's text, without the catalog model or JavaPoet, and compile to the same classes
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
        Run maven = javacWithRuntime(allSources());
        assertThat(maven.errors()).isEmpty();
        assertThat(maven.skipped()).isTrue();
        assertThat(maven.loaded()).isEmpty();
        assertEquals(catalog, Files.readString(catalogSource));
        assertThat(Files.readAllBytes(catalogClass)).isEqualTo(compiled);
        assertEquals("test.GrowbinCatalog\n", Files.readString(services));
        assertThat(Files.exists(classes.resolve("test/PreprocessTasks.class"))).isTrue();

        // a generated source deleted by hand (its class still there) is written again
        Files.delete(catalogSource);
        assertThat(javacWithRuntime(allSources()).skipped()).isTrue();
        assertEquals(catalog, Files.readString(catalogSource));

        // a values file changed: everything is rendered, but the catalog's text is the same and it stays as it is
        written = Files.getLastModifiedTime(catalogSource);
        project.values("values-prod.yaml", Files.readString(project.config.resolve("values-prod.yaml")) + "\n# a comment\n");
        Run values = javacWithRuntime(allSources());
        assertThat(values.errors()).isEmpty();
        assertThat(values.skipped()).isFalse();
        assertThat(values.loaded()).contains("org.yaml.snakeyaml.composer.Composer");
        assertEquals(written, Files.getLastModifiedTime(catalogSource), "the catalog's source was not written again");
        assertThat(javacWithRuntime(allSources()).skipped()).isTrue();
        assertEquals(written, Files.getLastModifiedTime(catalogSource), "nor by the no-op compile after it");

        // an annotation that the catalog shows changed: the catalog is written again, with it
        Path waste = sources.resolve("WasteApi.java");
        Files.writeString(waste, Files.readString(waste).replace("\"/api/v1/waste\"", "\"/api/v2/waste\""), StandardCharsets.UTF_8);
        Run path = javacWithRuntime(allSources());
        assertThat(path.errors()).isEmpty();
        assertThat(Files.readString(catalogSource)).contains("\"/api/v2/waste\"");
        assertThat(Files.readAllBytes(catalogClass)).isNotEqualTo(compiled);
    }

    // --- helpers -------------------------------------------------------------------------------------

    private record Run(List<String> errors, List<String> warnings, List<String> notes, List<String> loaded) {
        boolean skipped() {
            return notes.stream().anyMatch(n -> n.contains(SKIPPED));
        }
    }

    /** A class loader that tells which classes it defined. */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super("growbin-processor", urls, ClassLoader.getPlatformClassLoader());
        }

        boolean defined(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private Run javac(List<Path> files) {
        return javac(files, GrowbinProject.MANIFESTS_ONLY_CLASSPATH);
    }

    /** Compiles with the runtime on the class path: the processor also generates the catalog and the task clients. */
    private Run javacWithRuntime(List<Path> files) {
        return javac(files, java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(File::new).toList());
    }

    private Run javac(List<Path> files, List<File> classPath) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> loaded = new ArrayList<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
             Isolated loader = new Isolated(processorPath())) {
            List<File> path = new ArrayList<>();
            path.add(classes.toFile());
            path.addAll(classPath);
            fileManager.setLocation(StandardLocation.CLASS_PATH, path);
            fileManager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            fileManager.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(Files.createDirectories(root.resolve("generated")).toFile()));
            JavaCompiler.CompilationTask task = compiler.getTask(null, fileManager, diagnostics,
                    List.of("--release", "17", "-implicit:none", "-Agrowbin.config=" + project.config, "-Agrowbin.output=" + project.output),
                    null, fileManager.getJavaFileObjectsFromPaths(files));
            Processor processor = (Processor) loader.loadClass(GrowbinProcessor.class.getName()).getConstructor().newInstance();
            task.setProcessors(List.of(processor));
            task.call();
            GENERATION_CLASSES.stream().filter(loader::defined).forEach(loaded::add);
            NEVER_LOADED.stream().filter(loader::defined).forEach(loaded::add);
            if (loader.defined(JAVAPOET)) {
                loaded.add(JAVAPOET);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            String message = diagnostic.getMessage(Locale.ROOT);
            assertThat(message).doesNotContain("[growbin:internal]");
            switch (diagnostic.getKind()) {
                case ERROR -> errors.add(message);
                case WARNING, MANDATORY_WARNING -> warnings.add(message);
                default -> notes.add(message);
            }
        }
        return new Run(errors, warnings, notes, loaded);
    }

    /** The processor and its libraries, from the test class path (without the runtime, as MANIFESTS_ONLY_CLASSPATH). */
    private static URL[] processorPath() {
        return GrowbinProject.MANIFESTS_ONLY_CLASSPATH.stream().map(file -> {
            try {
                return file.toURI().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
    }

    private List<Path> allSources() throws IOException {
        try (Stream<Path> files = Files.list(sources)) {
            return files.sorted().toList();
        }
    }

    private static long count(SortedMap<String, String> files, String prefix) {
        return files.keySet().stream().filter(p -> p.startsWith(prefix)).count();
    }

}
