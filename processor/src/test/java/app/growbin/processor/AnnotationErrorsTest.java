package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One bad annotation input per test: the error's rule id and key words, the line it points at (the
 * annotation member when it was written), and that nothing was written.
 */
class AnnotationErrorsTest {

    @TempDir
    Path root;

    private GrowbinProject project;

    @BeforeEach
    void minimalValues() {
        project = GrowbinProject.minimal(root);
    }

    // --- REST path -------------------------------------------------------------------------------

    @Test
    void pathWithoutLeadingSlash() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "api/v1/waste")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:path-format] @RestService.path 'api/v1/waste' must start with '/'")
                .inFile(waste).onLineContaining("path = \"api/v1/waste\"");
    }

    @Test
    void pathWithIllegalCharacters() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "/api/v1/waste bin")
                public final class WasteApi {}
                """);
        Compilation compilation = rejected(waste);
        assertThat(compilation).hadErrorContaining("[growbin:path-format] @RestService.path '/api/v1/waste bin' may contain only")
                .inFile(waste).onLineContaining("path = \"/api/v1/waste bin\"");
        // Not also "the name 'waste bin' is not a DNS-1123 label": that name comes from the same mistake.
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void duplicatePath() {
        JavaFileObject first = source("AWasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class AWasteApi {}
                """);
        JavaFileObject second = source("BWasteApi", """
                @RestService(
                        path = "/api/v1/waste",
                        name = "waste-two")
                public final class BWasteApi {}
                """);
        assertThat(rejected(first, second))
                .hadErrorContaining("[growbin:duplicate-path] the path '/api/v1/waste' of test.BWasteApi is already used by test.AWasteApi")
                .inFile(second).onLineContaining("path = \"/api/v1/waste\"");
    }

    // --- names -----------------------------------------------------------------------------------

    @Test
    void duplicateDerivedName() {
        JavaFileObject first = source("AWasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class AWasteApi {}
                """);
        JavaFileObject second = source("BWasteApi", """
                @RestService(
                        path = "/api/v2/waste")
                public final class BWasteApi {}
                """);
        // The name is derived from the path, so the error points at the path.
        assertThat(rejected(first, second))
                .hadErrorContaining("[growbin:duplicate-name] the name 'waste' of test.BWasteApi is already used by test.AWasteApi")
                .inFile(second).onLineContaining("path = \"/api/v2/waste\"");
    }

    @Test
    void duplicateExplicitName() {
        JavaFileObject first = source("AWasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class AWasteApi {}
                """);
        JavaFileObject second = source("BTrashApi", """
                @RestService(
                        path = "/api/v1/trash",
                        name = "waste")
                public final class BTrashApi {}
                """);
        assertThat(rejected(first, second))
                .hadErrorContaining("[growbin:duplicate-name] the name 'waste' of test.BTrashApi is already used by test.AWasteApi")
                .inFile(second).onLineContaining("name = \"waste\"");
    }

    @Test
    void duplicateQueue() {
        JavaFileObject first = source("AVisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class AVisionWorker {
                    @Task("vision.a") public void a() {}
                }
                """);
        JavaFileObject second = source("BVisionWorker", """
                @AsyncWorker(
                        queue = "q.vision",
                        name = "vision-two")
                public final class BVisionWorker {
                    @Task("vision.b") public void b() {}
                }
                """);
        assertThat(rejected(first, second))
                .hadErrorContaining("[growbin:duplicate-queue] the queue 'q.vision' of test.BVisionWorker is already used by test.AVisionWorker")
                .inFile(second).onLineContaining("queue = \"q.vision\"");
    }

    @Test
    void nameNotDnsLabel() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "/api/v1/waste",
                        name = "Waste_API")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste))
                .hadErrorContaining("[growbin:name-format] the name 'Waste_API' of test.WasteApi is not a DNS-1123 label")
                .inFile(waste).onLineContaining("name = \"Waste_API\"");
        assertThat(rejected(waste)).hadErrorContaining("for example 'waste-api'");
    }

    @Test
    void nameTooLongOncePrefixed() {
        // "shop-api-rest-" is 14 characters: a 50-character name makes a 64-character object name.
        String name = "a".repeat(50);
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "/api/v1/waste",
                        name = "%s")
                public final class WasteApi {}
                """.formatted(name));
        Compilation compilation = rejected(waste);
        assertThat(compilation)
                .hadErrorContaining("[growbin:name-too-long] the name '" + name + "' makes the object name 'shop-api-rest-" + name
                        + "' 64 characters long, above Kubernetes' 63; use a name of at most 49 characters")
                .inFile(waste).onLineContaining("name = \"" + name + "\"");
        assertThat(compilation).hadErrorCount(1);
    }

    // --- counts ----------------------------------------------------------------------------------

    @Test
    void negativeReplicas() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "/api/v1/waste",
                        replicas = -1)
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:replicas-range] @RestService.replicas is -1; it must be 0 or more")
                .inFile(waste).onLineContaining("replicas = -1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 70000})
    void portOutsideRange(int port) {
        JavaFileObject waste = source("WasteApi", """
                @RestService(
                        path = "/api/v1/waste",
                        port = %d)
                public final class WasteApi {}
                """.formatted(port));
        assertThat(rejected(waste)).hadErrorContaining("[growbin:port-range] @RestService.port is " + port + "; it must be between 1 and 65535")
                .inFile(waste).onLineContaining("port = " + port);
    }

    @Test
    void emptyQueue() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(
                        queue = "")
                public final class VisionWorker {
                    @Task("vision.classify") public void classify() {}
                }
                """);
        Compilation compilation = rejected(worker);
        assertThat(compilation).hadErrorContaining("[growbin:queue-format] @AsyncWorker.queue is empty")
                .inFile(worker).onLineContaining("queue = \"\"");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void concurrencyBelowOne() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(
                        queue = "q.vision",
                        concurrency = 0)
                public final class VisionWorker {
                    @Task("vision.classify") public void classify() {}
                }
                """);
        assertThat(rejected(worker)).hadErrorContaining("[growbin:concurrency-range] concurrency is 0; it must be at least 1")
                .inFile(worker).onLineContaining("concurrency = 0");
    }

    @Test
    void soloPoolWithConcurrencyTwo() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(
                        queue = "q.vision",
                        pool = Pool.SOLO,
                        concurrency = 2)
                public final class VisionWorker {
                    @Task("vision.classify") public void classify() {}
                }
                """);
        assertThat(rejected(worker)).hadErrorContaining("[growbin:concurrency-range] concurrency is 2 but the SOLO pool runs one task at a time")
                .inFile(worker).onLineContaining("concurrency = 2");
    }

    // --- @Resources ------------------------------------------------------------------------------

    @Test
    void malformedCpuQuantity() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Resources(
                        cpu = "two cores")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:quantity-format] cpu 'two cores' is not a Kubernetes quantity; write cores or millicores")
                .inFile(waste).onLineContaining("cpu = \"two cores\"");
    }

    @Test
    void malformedMemoryQuantity() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Resources(
                        memory = "256MB")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:quantity-format] memory '256MB' is not a Kubernetes quantity; write bytes with a binary suffix")
                .inFile(waste).onLineContaining("memory = \"256MB\"");
    }

    @Test
    void requestAboveLimit() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Resources(
                        cpu = "2",
                        cpuLimit = "1")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:request-above-limit] @Resources.cpu '2' is above @Resources.cpuLimit '1'")
                .inFile(waste).onLineContaining("cpu = \"2\"");
    }

    // --- @Autoscaling ----------------------------------------------------------------------------

    @Test
    void minReplicasAboveMaxReplicas() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Autoscaling(
                        minReplicas = 5,
                        maxReplicas = 3)
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:autoscaling-range] maxReplicas 3 is below minReplicas 5")
                .inFile(waste).onLineContaining("maxReplicas = 3");
    }

    @Test
    void minReplicasBelowOne() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Autoscaling(
                        minReplicas = 0,
                        maxReplicas = 3)
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:autoscaling-range] minReplicas is 0; an autoscaler needs at least 1")
                .inFile(waste).onLineContaining("minReplicas = 0");
    }

    @Test
    void targetCpuUtilizationBelowOne() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Autoscaling(
                        maxReplicas = 3,
                        targetCpuUtilization = 0)
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:autoscaling-range] targetCpuUtilization is 0; it must be at least 1")
                .inFile(waste).onLineContaining("targetCpuUtilization = 0");
    }

    // --- the annotated type ----------------------------------------------------------------------

    @Test
    void annotationOnInterface() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public interface WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:not-concrete] @RestService must be on a concrete class, but test.WasteApi is an interface")
                .inFile(waste).onLineContaining("@RestService");
    }

    @Test
    void annotationOnAbstractClass() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public abstract class VisionWorker {
                    @Task("vision.classify") public void classify() {}
                }
                """);
        assertThat(rejected(worker)).hadErrorContaining("[growbin:not-concrete] @AsyncWorker must be on a concrete class, but test.VisionWorker is an interface or abstract class")
                .inFile(worker).onLineContaining("@AsyncWorker");
    }

    @Test
    void restServiceAndAsyncWorkerOnOneClass() {
        JavaFileObject both = source("VisionApi", """
                @RestService(path = "/api/v1/vision")
                @AsyncWorker(queue = "q.vision")
                public final class VisionApi {
                    @Task("vision.classify") public void classify() {}
                }
                """);
        assertThat(rejected(both)).hadErrorContaining("[growbin:both-kinds] test.VisionApi has both @RestService and @AsyncWorker")
                .inFile(both).onLineContaining("@AsyncWorker");
    }

    @Test
    void resourcesOnClassOfNeitherKind() {
        JavaFileObject plain = source("Helper", """
                @Resources(cpu = "1")
                public final class Helper {}
                """);
        assertThat(rejected(plain)).hadErrorContaining("[growbin:modifier-without-kind] @Resources has no effect on a class that is neither @RestService nor @AsyncWorker")
                .inFile(plain).onLineContaining("@Resources");
    }

    // --- @NodeSelector, @Env, @SecretEnv ---------------------------------------------------------

    @Test
    void nodeSelectorKeyInvalid() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @NodeSelector(
                        key = "work load",
                        value = "application")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:node-selector-format] node selector key 'work load' is not a valid label key")
                .inFile(waste).onLineContaining("key = \"work load\"");
    }

    @Test
    void nodeSelectorValueInvalid() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @NodeSelector(
                        key = "workload",
                        value = "-application-")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:node-selector-format] node selector value '-application-' is not a valid label value")
                .inFile(waste).onLineContaining("value = \"-application-\"");
    }

    @Test
    void repeatedNodeSelectorErrorPointsAtTheBadOne() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @NodeSelector(key = "workload", value = "application")
                @NodeSelector(key = "zone", value = "eu west")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:node-selector-format] node selector value 'eu west' is not a valid label value")
                .inFile(waste).onLineContaining("value = \"eu west\"");
    }

    @Test
    void envNameInvalid() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Env(
                        name = "1ST-REGION",
                        value = "eu")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:env-name-format] @Env.name '1ST-REGION' is not a valid environment variable name")
                .inFile(waste).onLineContaining("name = \"1ST-REGION\"");
    }

    @Test
    void secretEnvSecretNameInvalid() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @SecretEnv(
                        name = "OPENAI_API_KEY",
                        secret = "OpenAI_Secrets",
                        key = "api-key")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:secret-ref-format] @SecretEnv.secret 'OpenAI_Secrets' is not a valid Secret name")
                .inFile(waste).onLineContaining("secret = \"OpenAI_Secrets\"");
    }

    @Test
    void duplicateEnvName() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Env(name = "REGION", value = "eu")
                @Env(name = "REGION", value = "us")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:duplicate-env] the environment variable 'REGION' is declared twice")
                .inFile(waste).onLineContaining("value = \"us\"");
    }

    @Test
    void envNameAlsoDeclaredAsSecretEnv() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Env(name = "OPENAI_MODEL", value = "gpt-4o")
                @SecretEnv(name = "OPENAI_MODEL", secret = "openai-secrets", key = "model")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:duplicate-env] the environment variable 'OPENAI_MODEL' is declared twice")
                .inFile(waste).onLineContaining("@SecretEnv");
    }

    @Test
    void reservedEnvName() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Env(
                        name = "SERVICE_NAME",
                        value = "trash")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:duplicate-env] @Env.name 'SERVICE_NAME' is set by Growbin itself")
                .inFile(waste).onLineContaining("name = \"SERVICE_NAME\"");
    }

    @Test
    void plainTextCredentialInEnv() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Env(
                        name = "API_TOKEN",
                        value = "abc")
                public final class WasteApi {}
                """);
        assertThat(rejected(waste)).hadErrorContaining("[growbin:plaintext-credential] API_TOKEN looks like a credential and has a literal value")
                .inFile(waste).onLineContaining("value = \"abc\"");
        assertThat(rejected(waste)).hadErrorContaining("@SecretEnv(name = \"API_TOKEN\", secret = ..., key = ...)");
    }

    // --- @Task -----------------------------------------------------------------------------------

    @Test
    void duplicateTaskNameAcrossWorkers() {
        JavaFileObject vision = source("AVisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class AVisionWorker {
                    @Task("images.classify") public void classify() {}
                }
                """);
        JavaFileObject llm = source("BLlmWorker", """
                @AsyncWorker(queue = "q.llm")
                public final class BLlmWorker {
                    @Task("images.classify") public void describe() {}
                }
                """);
        assertThat(rejected(vision, llm))
                .hadErrorContaining("[growbin:duplicate-task] the task name 'images.classify' is already used by test.AVisionWorker.classify")
                .inFile(llm).onLineContaining("@Task(\"images.classify\")");
    }

    @Test
    void taskInClassWithoutAsyncWorker() {
        JavaFileObject plain = source("Vision", """
                public final class Vision {
                    @Task("vision.classify")
                    public void classify() {}
                }
                """);
        assertThat(rejected(plain)).hadErrorContaining("[growbin:task-outside-worker] @Task is only meaningful on a method of an @AsyncWorker class")
                .inFile(plain).onLineContaining("@Task(\"vision.classify\")");
    }

    @Test
    void workerWithoutTasks() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class VisionWorker {
                    public void classify() {}
                }
                """);
        assertThat(rejected(worker)).hadErrorContaining("[growbin:worker-without-tasks] test.VisionWorker declares no @Task method")
                .inFile(worker).onLineContaining("@AsyncWorker");
    }

    @Test
    void nonPublicTaskMethod() {
        JavaFileObject worker = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class VisionWorker {
                    @Task("vision.classify")
                    void classify() {}
                }
                """);
        assertThat(rejected(worker)).hadErrorContaining("[growbin:task-signature] @Task method test.VisionWorker.classify must be public")
                .inFile(worker).onLineContaining("@Task(\"vision.classify\")");
    }

    // --- @SendsTasks ---------------------------------------------------------------------------------

    @Test
    void sendsTasksToAClassThatIsNoWorker() {
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @SendsTasks(chain = {VisionWorker.class,
                        Prices.class})
                public final class WasteApi {}
                """);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class VisionWorker {
                    @Task("vision.classify") public String classify(String imageRef) { return imageRef; }
                }
                """);
        JavaFileObject prices = source("Prices", "public final class Prices {}\n");
        assertThat(rejected(waste, vision, prices))
                .hadErrorContaining("[growbin:sends-tasks-target] @SendsTasks of test.WasteApi names test.Prices, which is not an @AsyncWorker")
                .inFile(waste).onLineContaining("Prices.class");
    }

    @Test
    void sendsTasksOnAClassThatIsNeitherKind() {
        JavaFileObject helper = source("Helper", "@SendsTasks(Helper.class)\npublic final class Helper {}\n");
        assertThat(rejected(helper)).hadErrorContaining("[growbin:modifier-without-kind] @SendsTasks has no effect on a class that is neither")
                .inFile(helper).onLineContaining("@SendsTasks");
    }

    private Compilation rejected(JavaFileObject... sources) {
        Compilation compilation = project.compile(sources);
        assertThat(compilation).failed();
        project.assertNothingWritten();
        return compilation;
    }
}
