package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under the Eclipse compiler (ECJ), which IDE users compile with: the same manifests
 * as under javac, and problems reported as errors on the annotated class.
 */
class EclipseCompilerTest {

    private static final String WASTE = """
            @RestService(path = "/api/v1/waste", replicas = 3)
            @Resources(cpu = "200m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
            @NodeSelector(key = "workload", value = "application")
            @Autoscaling(minReplicas = 3, maxReplicas = 10)
            public final class WasteApi {}
            """;
    private static final String VISION = """
            @AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20, replicas = 2)
            @SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
            public final class VisionWorker {
                @Task("vision.classify")
                public String classify(String imageRef) { return imageRef; }
            }
            """;

    @Test
    void writesTheSameManifestsAsJavac(@TempDir Path javacRoot, @TempDir Path eclipseRoot) throws IOException {
        GrowbinProject javac = GrowbinProject.minimal(javacRoot);
        assertThat(javac.compile(source("WasteApi", WASTE), source("VisionWorker", VISION))).succeeded();

        GrowbinProject eclipse = GrowbinProject.minimal(eclipseRoot);
        EclipseResult result = eclipse(eclipse, eclipseRoot, Map.of("WasteApi", WASTE, "VisionWorker", VISION));
        assertThat(result.errors()).isEmpty();
        assertThat(result.succeeded()).isTrue();

        assertThat(eclipse.outputFiles()).isNotEmpty();
        assertThat(eclipse.outputFiles()).isEqualTo(javac.outputFiles());
    }

    @Test
    void reportsProblemsAsErrorsOnTheClass(@TempDir Path root) throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root);
        EclipseResult result = eclipse(project, root, Map.of("WasteApi", """
                @RestService(path = "api/v1/waste",
                        replicas = -1)
                public final class WasteApi {}
                """));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.errors()).hasSize(2);
        assertThat(result.errors().get(0).getMessage(Locale.ROOT)).contains("[growbin:path-format] @RestService.path 'api/v1/waste' must start with '/'");
        assertThat(result.errors().get(1).getMessage(Locale.ROOT)).contains("[growbin:replicas-range] @RestService.replicas is -1");
        for (Diagnostic<? extends JavaFileObject> error : result.errors()) {
            assertThat(error.getSource().getName()).endsWith("WasteApi.java");
            assertThat(error.getLineNumber()).isAtLeast(5L);
        }
        project.assertNothingWritten();
    }

    private record EclipseResult(boolean succeeded, List<Diagnostic<? extends JavaFileObject>> errors) {}

    /** ECJ through javax.tools with sources on disk (compile-testing's in-memory files are javac-only). */
    private static EclipseResult eclipse(GrowbinProject project, Path root, Map<String, String> bodies) throws IOException {
        Path sources = Files.createDirectories(root.resolve("src/test"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> body : new TreeMap<>(bodies).entrySet()) {
            Path file = sources.resolve(body.getKey() + ".java");
            Files.writeString(file, "package test;\n\nimport app.growbin.annotations.*;\n\n" + body.getValue(), StandardCharsets.UTF_8);
            files.add(file);
        }
        EclipseCompiler compiler = new EclipseCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            fileManager.setLocation(StandardLocation.CLASS_PATH, GrowbinProject.MANIFESTS_ONLY_CLASSPATH);
            fileManager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            fileManager.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(classes.toFile()));
            JavaCompiler.CompilationTask task = compiler.getTask(null, fileManager, diagnostics,
                    List.of("-17", "-Agrowbin.config=" + project.config, "-Agrowbin.output=" + project.output),
                    null, fileManager.getJavaFileObjectsFromPaths(files));
            task.setProcessors(List.of(new GrowbinProcessor()));
            boolean succeeded = task.call();
            List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .sorted(Comparator.comparing(d -> d.getMessage(Locale.ROOT)))
                    .toList();
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                assertThat(diagnostic.getMessage(Locale.ROOT)).doesNotContain("[growbin:internal]");
            }
            return new EclipseResult(succeeded, errors);
        }
    }
}
