package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.growbin.processor.testing.HelmChartCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exported chart of the Growbin backend, k8s-out/helm/growbin-backend/, passes {@code helm lint}
 * and renders with each {@code values-<env>.yaml} exactly the objects of k8s-out/&lt;env&gt;/, which the
 * compile of this module has just written.
 */
class HelmChartExportTest {

    private static final Path OUTPUT = Path.of("..", "k8s-out");

    @Test
    void chartRendersEveryEnvironmentOfTheBackend() throws IOException {
        Path chart = OUTPUT.resolve("helm").resolve("growbin-backend");
        assertEquals(List.of(), HelmChartCheck.lint(chart), "helm lint --strict " + chart);
        List<Path> environments;
        try (Stream<Path> folders = Files.list(OUTPUT)) {
            // an environment folder is one with a kustomization.yaml (argocd/ and helm/ have none)
            environments = folders.filter(f -> Files.isRegularFile(f.resolve("kustomization.yaml"))).sorted().toList();
        }
        assertFalse(environments.isEmpty(), "no environment folder in " + OUTPUT);
        for (Path environment : environments) {
            assertEquals(List.of(), HelmChartCheck.differences(chart, environment),
                    "helm template -f values-" + environment.getFileName() + ".yaml against " + environment);
        }
    }
}
