package app.growbin.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of a small application (src/test/resources/good/shop: one REST service with every
 * modifier, one worker with two tasks) must equal, file by file and byte by byte, the goldens in
 * src/test/resources/expected/shop/, and its alerts' tests those of expected/shop-tests/ (the tests folder
 * beside the output folder).
 *
 * <p>After an intended change to the output, regenerate the goldens and review their diff:
 * <pre>mvn -pl processor test -Dtest=GoldenOutputTest -Dgrowbin.updateGoldens=true</pre>
 */
class GoldenOutputTest {

    static final String UPDATE_PROPERTY = "growbin.updateGoldens";
    /** Surefire runs in the module folder; the goldens are read from (and written to) the sources, not target/. */
    static final Path EXPECTED = Path.of("src/test/resources/expected/shop");
    static final Path EXPECTED_TESTS = Path.of("src/test/resources/expected/shop-tests");
    static final Path GOOD = Path.of("src/test/resources/good/shop");

    @TempDir
    Path root;

    @Test
    void shopManifestsEqualTheGoldens() throws IOException {
        GrowbinProject project = new GrowbinProject(root);
        for (String file : new String[] {"values.yaml", "values-dev.yaml"}) {
            project.values(file, Files.readString(GOOD.resolve("k8s").resolve(file), StandardCharsets.UTF_8));
        }
        Compilation compilation = project.compile(
                JavaFileObjects.forResource("good/shop/ShopApi.java"),
                JavaFileObjects.forResource("good/shop/ThumbnailWorker.java"));
        assertThat(compilation).succeeded();
        assertEqualsGoldens(EXPECTED, project.outputFiles());
        assertEqualsGoldens(EXPECTED_TESTS, project.testFiles());
    }

    private static void assertEqualsGoldens(Path goldens, SortedMap<String, String> actual) throws IOException {
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            writeGoldens(goldens, actual);
        }
        SortedMap<String, String> expected = GrowbinProject.filesUnder(goldens);
        assertEquals(expected.keySet(), actual.keySet(), "the generated files (rerun with -D" + UPDATE_PROPERTY + "=true after an intended change)");
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertEquals(file.getValue(), actual.get(file.getKey()), file.getKey());
        }
    }

    private static void writeGoldens(Path goldens, SortedMap<String, String> files) throws IOException {
        if (Files.isDirectory(goldens)) {
            try (Stream<Path> walk = Files.walk(goldens)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = goldens.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
