package app.growbin.processor.write;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.TaskModel;
import app.growbin.processor.model.TaskModel.TaskParameter;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import app.growbin.runtime.ApplicationCatalog;
import app.growbin.runtime.TaskArguments;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.WorkerDefinition;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The generated catalog and task clients compile against the runtime and call the task methods directly. */
class CatalogSourceWriterTest {

    private static final JavaFileObject WASTE_API = JavaFileObjects.forSourceLines("test.app.WasteApi",
            "package test.app;",
            "import app.growbin.runtime.*;",
            "public final class WasteApi implements RestApi {",
            "    @Override public void routes(Routes routes, ServiceContext context) {",
            "        routes.get(\"\", r -> Response.ok(\"hi\"));",
            "    }",
            "}");

    private static final JavaFileObject VISION_WORKER = JavaFileObjects.forSourceLines("test.app.workers.VisionWorker",
            "package test.app.workers;",
            "import java.util.*;",
            "public final class VisionWorker {",
            "    public record Classification(String label, double confidence) {}",
            "    public Classification classify(String imageRef) { return new Classification(imageRef.toUpperCase(), 0.5); }",
            "    public Map<String, Integer> score(List<String> labels, int limit) {",
            "        Map<String, Integer> m = new TreeMap<>();",
            "        for (String l : labels) { if (m.size() < limit) m.put(l, l.length()); }",
            "        return m;",
            "    }",
            "    public void ping() {}",
            "    public int[] sizes(int[] in) { return in; }",
            "}");

    static Catalog catalog() {
        RestServiceModel waste = new RestServiceModel("waste", "test.app.WasteApi", "/api/v1/waste", 8080, List.of(), List.of(),
                SettingValues.builder().put(Settings.ENABLED, true).put(Settings.REPLICAS, 1).build());
        SettingValues workerSettings = SettingValues.builder().put(Settings.ENABLED, true).put(Settings.REPLICAS, 1)
                .put(Settings.CONCURRENCY, 20).put(Settings.TIME_LIMIT_SECONDS, 300).build();
        WorkerModel vision = new WorkerModel("vision", "test.app.workers.VisionWorker", "q.vision", Pool.GEVENT, List.of(
                        new TaskModel("vision.classify", "classify", List.of(new TaskParameter("imageRef", "java.lang.String")),
                                "test.app.workers.VisionWorker.Classification"),
                        new TaskModel("vision.score", "score", List.of(
                                new TaskParameter("labels", "java.util.List<java.lang.String>"),
                                new TaskParameter("limit", "int")), "java.util.Map<java.lang.String, java.lang.Integer>"),
                        new TaskModel("vision.ping", "ping", List.of(), "void"),
                        new TaskModel("vision.sizes", "sizes", List.of(new TaskParameter("in", "int[]")), "int[]")),
                List.of(), List.of(), workerSettings);
        return new Catalog("test.app", List.of(waste), List.of(vision));
    }

    private static Compilation compile(List<JavaFile> files) {
        List<JavaFileObject> sources = new ArrayList<>(List.of(WASTE_API, VISION_WORKER));
        for (JavaFile f : files) {
            sources.add(f.toJavaFileObject());
        }
        return Compiler.javac().withOptions("--release", "17", "-Xlint:all", "-Werror").compile(sources);
    }

    @Test
    void generatedSourcesCompileWithoutWarnings() {
        List<JavaFile> files = new CatalogSourceWriter().write(catalog());
        assertEquals(List.of("test.app.GrowbinCatalog", "test.app.VisionTasks"),
                files.stream().map(f -> f.packageName() + "." + f.typeSpec().name()).toList());
        Compilation c = compile(files);
        assertThat(c).succeededWithoutWarnings();
        String catalog = files.get(0).toString();
        assertTrue(catalog.contains("new RestServiceDefinition(\"waste\", \"/api/v1/waste\", 8080, WasteApi::new)"), catalog);
        assertTrue(catalog.contains("return worker.classify(args.get(0, \"imageRef\", String.class));"), catalog);
        assertTrue(catalog.contains("args.get(0, \"labels\", new TypeRef<List<String>>() {})"), catalog);
        String client = files.get(1).toString();
        assertTrue(client.contains("public TaskHandle<VisionWorker.Classification> classify(String imageRef)"), client);
        assertTrue(client.contains("public static final String QUEUE = \"q.vision\";"), client);
        assertTrue(client.contains("public TaskHandle<Void> ping()"), client);
    }

    @Test
    void servicesFileNamesTheCatalog() {
        assertEquals("META-INF/services/app.growbin.runtime.ApplicationCatalog", CatalogSourceWriter.servicesFileName());
        assertEquals("test.app.GrowbinCatalog\n", CatalogSourceWriter.servicesFileContent(catalog()));
    }

    @Test
    void generatedCatalogDispatchesToTheTaskMethods() throws Exception {
        Compilation c = compile(new CatalogSourceWriter().write(catalog()));
        assertThat(c).succeeded();
        ClassLoader loader = new CompiledClassLoader(c);
        ApplicationCatalog catalog = (ApplicationCatalog) loader.loadClass("test.app.GrowbinCatalog")
                .getDeclaredConstructor().newInstance();
        assertEquals("waste", catalog.restServices().get(0).name());
        assertEquals("WasteApi", catalog.restServices().get(0).factory().get().getClass().getSimpleName());
        WorkerDefinition vision = catalog.workers().get(0);
        assertEquals(List.of("vision.classify", "vision.score", "vision.ping", "vision.sizes"), vision.tasks());
        assertEquals(Pool.GEVENT, vision.pool());
        assertEquals(20, vision.concurrency());
        TaskDispatcher d = vision.dispatcher().get();
        ObjectMapper json = new ObjectMapper();
        Object classified = d.dispatch("vision.classify", args(json, "[\"bottle\"]", "{}"));
        assertEquals("{\"label\":\"BOTTLE\",\"confidence\":0.5}", json.writeValueAsString(classified));
        Object scored = d.dispatch("vision.score", args(json, "[[\"glass\", \"paper\", \"can\"]]", "{\"limit\": 2}"));
        assertEquals(Map.of("glass", 5, "paper", 5), scored);
        assertEquals(null, d.dispatch("vision.ping", args(json, "[]", "{}")));
        assertThrows(TaskDispatcher.NotRegistered.class, () -> d.dispatch("vision.nope", args(json, "[]", "{}")));
        assertThrows(TaskArguments.TaskArgumentException.class, () -> d.dispatch("vision.classify", args(json, "[]", "{}")));
    }

    @Test
    void clientNamesAndIdentifiers() {
        assertEquals("VisionTasks", TaskClientSourceWriter.clientSimpleName(catalog().workers().get(0)));
        assertEquals("IMAGE_REF", TaskClientSourceWriter.constantName("imageRef"));
        assertEquals("imageClassifier", TaskClientSourceWriter.identifier("image-classifier"));
    }

    private static TaskArguments args(ObjectMapper json, String args, String kwargs) throws IOException {
        return new TaskArguments((ArrayNode) json.readTree(args), (ObjectNode) json.readTree(kwargs));
    }

    /** Loads the classes a compile-testing compilation wrote. */
    static final class CompiledClassLoader extends ClassLoader {
        private final Map<String, JavaFileObject> classes = new HashMap<>();

        CompiledClassLoader(Compilation c) {
            super(CatalogSourceWriterTest.class.getClassLoader());
            for (JavaFileObject f : c.generatedFiles()) {
                if (f.getKind() == JavaFileObject.Kind.CLASS) {
                    String name = f.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
                    classes.put(name, f);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JavaFileObject f = classes.get(name);
            if (f == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = f.openInputStream()) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
