package app.growbin.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.stream.Stream;
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
 * The processor under incremental compilation, as IntelliJ, Eclipse and Gradle run it: javac
 * compiles a subset of the sources with the previous class output on its class path, and must give
 * the diagnostics and the {@code k8s-out/} of a full build. Every annotated class leaves a
 * declaration record in the class output; the classes not compiled are read from their records.
 *
 * <p>Sources, classes and generated sources are real folders (compile-testing keeps them in memory);
 * the application is the sample's (AddAndRemoveServiceTest) with the sample's values files.
 */
class IncrementalCompilationTest {

    @TempDir
    Path root;

    private Path sources;
    private Path classes;
    private Path generated;
    private GrowbinProject project;

    @BeforeEach
    void sampleApplication() throws IOException {
        sources = Files.createDirectories(root.resolve("src"));
        classes = Files.createDirectories(root.resolve("classes"));
        generated = Files.createDirectories(root.resolve("generated"));
        project = sampleValues(root.resolve("app"));
        for (JavaFileObject source : AddAndRemoveServiceTest.SAMPLE) {
            write(source);
        }
        write(GrowbinProject.source("TextUtil", "public final class TextUtil { static String trim(String s) { return s.trim(); } }\n"));
    }

    @Test
    void oneFileRecompiledAgainstTheOutputGivesNoErrorAndTheSameManifests() throws IOException {
        Result full = javac(allSources());
        assertThat(full.errors()).isEmpty();
        SortedMap<String, String> before = project.outputFiles();
        assertThat(before).containsKey("dev/api/rest/waste-deployment.yaml");
        assertThat(Files.isRegularFile(classes.resolve("META-INF/growbin/declarations/test.AuthApi.rest.json"))).isTrue();

        for (String alone : List.of("AuthApi", "VisionWorker", "TextUtil")) {
            Result one = javac(List.of(source(alone)));
            assertThat(one.errors()).isEmpty();
            assertThat(one.warnings()).isEmpty();
            assertEquals(before, project.outputFiles(), "k8s-out/ after compiling only " + alone + ".java");
        }
        project.assertChartRendersEveryEnvironment();
    }

    @Test
    void aDeletedClassLosesItsManifestsOnTheNextPartialCompile() throws IOException {
        write(AddAndRemoveServiceTest.ANALYTICS);
        assertThat(javac(allSources()).errors()).isEmpty();
        assertThat(project.exists("prod/api/rest/analytics-deployment.yaml")).isTrue();

        Files.delete(source("AnalyticsApi"));
        Files.delete(classes.resolve("test/AnalyticsApi.class"));
        Result partial = javac(List.of(source("TextUtil")));
        assertThat(partial.errors()).isEmpty();

        GrowbinProject clean = sampleValues(root.resolve("clean"));
        Path cleanClasses = Files.createDirectories(root.resolve("clean-classes"));
        assertThat(javac(clean, cleanClasses, allSources()).errors()).isEmpty();
        assertThat(project.exists("prod/api/rest/analytics-deployment.yaml")).isFalse();
        assertEquals(clean.outputFiles(), project.outputFiles(), "k8s-out/ of a clean build without AnalyticsApi");
    }

    @Test
    void aClassThatLostItsAnnotationLosesItsManifests() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        // the values files configure no worker but vision: rag can lose its annotation without a values error
        Files.writeString(source("RagWorker"), "package test;\n\npublic final class RagWorker {}\n", StandardCharsets.UTF_8);
        assertThat(javac(List.of(source("RagWorker"))).errors()).isEmpty();
        assertThat(project.exists("dev/api/async/rag-deployment.yaml")).isFalse();
        // and the next partial compile of another class does not bring it back from its old record
        assertThat(javac(List.of(source("TextUtil"))).errors()).isEmpty();
        assertThat(project.exists("dev/api/async/rag-deployment.yaml")).isFalse();
        assertThat(project.exists("dev/api/rest/waste-deployment.yaml")).isTrue();
    }

    @Test
    void valuesProblemsAreTheSameAsInAFullBuild() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        project.values("values-qa.yaml", """
                api:
                  rest:
                    wste:
                      replicas: 2
                """);
        List<String> full = messages(javac(allSources()).errors());
        List<String> partial = messages(javac(List.of(source("TextUtil"))).errors());
        assertThat(full).hasSize(1);
        assertThat(full.get(0)).contains("[growbin:values-unknown-service] values-qa.yaml:3:");
        assertThat(full.get(0)).contains("did you mean 'waste'?");
        assertEquals(full, partial);
    }

    @Test
    void aProblemOfTheCompiledClassPointsAtItAndAProblemOfAnEarlierClassNamesIt() throws IOException {
        assertThat(javac(allSources()).errors()).isEmpty();
        SortedMap<String, String> before = project.outputFiles();

        // ZooApi sorts after WasteApi: the path is WasteApi's, the error is ZooApi's, at its annotation
        write(GrowbinProject.source("ZooApi", "@RestService(path = \"/api/v1/waste\", name = \"zoo\")\npublic final class ZooApi {}\n"));
        Result zoo = javac(List.of(source("ZooApi")));
        assertThat(zoo.errors()).hasSize(1);
        Diagnostic<? extends JavaFileObject> error = zoo.errors().get(0);
        assertThat(error.getMessage(Locale.ROOT)).contains("[growbin:duplicate-path] the path '/api/v1/waste' of test.ZooApi is already used by test.WasteApi");
        assertThat(error.getSource().getName()).endsWith("ZooApi.java");
        assertThat(error.getLineNumber()).isEqualTo(5L);
        Files.delete(source("ZooApi"));

        // AaaApi sorts first: the second one is WasteApi, which this compilation reads from its record
        write(GrowbinProject.source("AaaApi", "@RestService(path = \"/api/v1/waste\", name = \"aaa\")\npublic final class AaaApi {}\n"));
        Result aaa = javac(List.of(source("AaaApi")));
        assertThat(messages(aaa.errors())).containsExactly("[growbin:duplicate-path] test.WasteApi @RestService.path (compiled earlier):"
                + " the path '/api/v1/waste' of test.WasteApi is already used by test.AaaApi; each REST service needs its own");
        assertThat(aaa.errors().get(0).getSource()).isNull();
        assertEquals(before, project.outputFiles(), "a rejected compile writes nothing");
    }

    @Test
    void theCatalogOfAPartialCompileListsEveryService() throws IOException {
        List<File> withRuntime = runtimeClasspath();
        GrowbinProject project = GrowbinProject.minimal(root.resolve("catalog"));
        Files.writeString(source("WasteApi"), """
                package test;

                import app.growbin.annotations.*;

                @RestService(path = "/api/v1/waste")
                @SendsTasks(chain = {PreprocessWorker.class, VisionWorker.class})
                public final class WasteApi implements app.growbin.runtime.RestApi {
                    @Override
                    public void routes(app.growbin.runtime.Routes routes, app.growbin.runtime.ServiceContext context) {}
                }
                """, StandardCharsets.UTF_8);
        List<Path> files = List.of(source("WasteApi"), source("PreprocessWorker"), source("VisionWorker"), source("TextUtil"));
        assertThat(javac(project, classes, files, withRuntime).errors()).isEmpty();
        String catalog = Files.readString(generated.resolve("test/GrowbinCatalog.java"));
        String readme = project.read("README.md");

        Files.delete(generated.resolve("test/GrowbinCatalog.java"));
        assertThat(javac(project, classes, List.of(source("TextUtil")), withRuntime).errors()).isEmpty();
        assertEquals(catalog, Files.readString(generated.resolve("test/GrowbinCatalog.java")));
        assertThat(catalog).contains("\"preprocess\"");
        assertThat(catalog).contains("\"vision\"");
        assertThat(catalog).contains("\"waste\"");
        assertEquals(readme, project.read("README.md"), "the diagram, from the records' @SendsTasks");
        assertThat(readme).contains("rest_waste -. \"chain\" .-> queue_preprocess");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private record Result(List<Diagnostic<? extends JavaFileObject>> errors, List<Diagnostic<? extends JavaFileObject>> warnings) {}

    private static GrowbinProject sampleValues(Path at) throws IOException {
        GrowbinProject project = new GrowbinProject(at);
        try (Stream<Path> files = Files.list(AddAndRemoveServiceTest.SAMPLE_VALUES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("values.*\\.yaml")).sorted().toList()) {
                project.values(file.getFileName().toString(), Files.readString(file));
            }
        }
        return project;
    }

    private Result javac(List<Path> files) {
        return javac(project, classes, files, GrowbinProject.MANIFESTS_ONLY_CLASSPATH);
    }

    private Result javac(GrowbinProject target, Path output, List<Path> files) {
        return javac(target, output, files, GrowbinProject.MANIFESTS_ONLY_CLASSPATH);
    }

    /** javac as an IDE runs it: the class output on the class path, the given sources only. */
    private Result javac(GrowbinProject target, Path output, List<Path> files, List<File> classpath) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<File> path = new ArrayList<>();
            path.add(output.toFile());
            path.addAll(classpath);
            fileManager.setLocation(StandardLocation.CLASS_PATH, path);
            fileManager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
            fileManager.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(generated.toFile()));
            JavaCompiler.CompilationTask task = compiler.getTask(null, fileManager, diagnostics,
                    List.of("--release", "17", "-implicit:none", "-Agrowbin.config=" + target.config, "-Agrowbin.output=" + target.output),
                    null, fileManager.getJavaFileObjectsFromPaths(files));
            task.setProcessors(List.of(new GrowbinProcessor()));
            task.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            assertThat(diagnostic.getMessage(Locale.ROOT)).doesNotContain("[growbin:internal]");
        }
        return new Result(
                diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList(),
                diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING).toList());
    }

    private static List<String> messages(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        return diagnostics.stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    /** The test class path with growbin-runtime, so that the catalog and task clients are generated. */
    private static List<File> runtimeClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(File::new).toList();
    }

    private void write(JavaFileObject source) throws IOException {
        String name = source.getName().replaceAll("^.*/", "");
        Files.createDirectories(sources.resolve("test"));
        Files.writeString(sources.resolve("test").resolve(name), source.getCharContent(true), StandardCharsets.UTF_8);
    }

    private Path source(String simpleName) {
        return sources.resolve("test").resolve(simpleName + ".java");
    }

    private List<Path> allSources() throws IOException {
        try (Stream<Path> files = Files.list(sources.resolve("test"))) {
            return files.sorted().toList();
        }
    }
}
