package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removals are exact: after each change, the output folder is byte for byte what a clean build of
 * the changed project writes (argocd/, helm/, README.md and the tests folder beside it included). The Maven side,
 * which decides whether the processor runs at all, is tested by scripts/test/removals.test.sh.
 */
class RemovalsTest {

    static final String VALUES = GrowbinProject.MINIMAL_VALUES + """
            gitops:
              repoUrl: https://github.com/your-org/shop-gitops.git
            """;

    static final JavaFileObject SHOP = source("ShopApi", "@RestService(path = \"/api/v1/shop\")\npublic final class ShopApi {}\n");
    static final JavaFileObject THUMBNAILS = source("ThumbnailWorker", """
            @AsyncWorker(queue = "q.thumbnails")
            public final class ThumbnailWorker {
                @Task("thumbnails.make") public String make(String image) { return image; }
            }
            """);
    static final JavaFileObject PLAIN = source("Prices", "public final class Prices {}\n");

    @TempDir
    Path root;

    private GrowbinProject project(String name) {
        return new GrowbinProject(root.resolve(name)).values("values.yaml", VALUES).values("values-dev.yaml", "");
    }

    @Test
    void deletingTheLastAnnotatedClassRemovesEverythingTheProcessorWrote() {
        GrowbinProject project = project("changed").values("values-prod.yaml", "");
        assertThat(project.compile(SHOP, THUMBNAILS, PLAIN)).succeeded();
        assertThat(project.outputFiles().keySet()).containsAtLeast("README.md", "argocd/shop-prod.yaml", "helm/shop/Chart.yaml",
                "prod/kustomization.yaml");
        assertThat(project.testFiles().keySet()).containsExactly("dev.test.yaml", "prod.test.yaml");

        Compilation compilation = project.compile(PLAIN);

        assertThat(compilation).succeeded();
        GrowbinProject clean = project("clean").values("values-prod.yaml", "");
        assertThat(clean.compile(PLAIN)).succeeded();
        assertEquals(clean.outputFiles(), project.outputFiles());
        assertEquals(clean.testFiles(), project.testFiles());
        assertThat(project.outputFiles()).isEmpty();
        assertThat(project.testFiles()).isEmpty();
        assertThat(Files.exists(project.tests)).isFalse();
        assertThat(compilation).hadNoteContaining("growbin: no @RestService or @AsyncWorker is declared any more; removed dev, prod,"
                + " argocd, helm, ../k8s-out-tests, README.md");
    }

    @Test
    void deletingAValuesFileRemovesItsEnvironmentEverywhere() {
        GrowbinProject project = project("changed").values("values-staging.yaml", "");
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();
        assertThat(project.outputFiles().keySet()).containsAtLeast("staging/kustomization.yaml", "argocd/shop-staging.yaml",
                "helm/shop/values-staging.yaml");
        assertThat(project.testFiles().keySet()).contains("staging.test.yaml");

        project.deleteValues("values-staging.yaml");
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();

        assertSameAsCleanBuild(project, List.of(), SHOP, THUMBNAILS);
        assertThat(project.read("README.md")).doesNotContain("staging");
    }

    @Test
    void renamingAnEnvironmentLeavesOnlyTheNewName() {
        GrowbinProject project = project("changed").values("values-staging.yaml", "global:\n  environment: staging\n");
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();

        project.deleteValues("values-staging.yaml").values("values-qa.yaml", "global:\n  environment: staging\n");
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();

        GrowbinProject clean = project("clean").values("values-qa.yaml", "global:\n  environment: staging\n");
        assertThat(clean.compile(SHOP, THUMBNAILS)).succeeded();
        assertEquals(clean.outputFiles(), project.outputFiles());
        assertEquals(clean.testFiles(), project.testFiles());
        assertThat(project.outputFiles().keySet().stream().filter(path -> path.contains("staging")).toList()).isEmpty();
    }

    @Test
    void droppingAnOptionGivesTheOutputWithoutIt() {
        GrowbinProject project = project("changed");
        assertThat(project.compile(List.of("-Agrowbin.image.tag=4f2a9c1"), SHOP)).succeeded();
        assertThat(project.read("dev/api/rest/shop-deployment.yaml")).contains("acme/shop:4f2a9c1");

        assertThat(project.compile(SHOP)).succeeded();

        assertSameAsCleanBuild(project, List.of(), SHOP);
        assertThat(project.read("dev/api/rest/shop-deployment.yaml")).contains("acme/shop:1.0.0");
    }

    private void assertSameAsCleanBuild(GrowbinProject project, List<String> options, JavaFileObject... sources) {
        GrowbinProject clean = new GrowbinProject(root.resolve("clean"));
        try (Stream<Path> files = Files.list(project.config)) {
            for (Path file : files.toList()) {
                clean.values(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(clean.compile(options, sources)).succeeded();
        assertEquals(clean.outputFiles(), project.outputFiles(), "the output of a clean build");
        assertEquals(clean.testFiles(), project.testFiles(), "the tests of a clean build");
    }
}
