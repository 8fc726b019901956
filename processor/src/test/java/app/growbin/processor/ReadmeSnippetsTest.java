package app.growbin.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README holds for a new user: every Java block is a complete file that compiles as shown (with
 * the processor and the runtime, the way the sample app compiles), or an excerpt whose paragraph
 * links the file it comes from; and its "Before the first sync" table names every Secret that the
 * generated k8s-out/README.md lists for the sample's environments.
 */
class ReadmeSnippetsTest {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\n(.*?)```");
    private static final Pattern LINK_TO_JAVA = Pattern.compile("\\]\\(([^)]+\\.java)\\)");
    private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?(?:class|interface|record) (\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);");
    private static final Pattern SECRET_ROW = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| `[^`]+` \\|");

    @TempDir
    Path root;

    @Test
    void everyJavaBlockCompilesOrLinksItsFile() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        List<JavaFileObject> files = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        int excerpts = 0;
        while (block.find()) {
            String code = block.group(1);
            Matcher pkg = PACKAGE.matcher(code);
            if (pkg.find()) {
                Matcher name = CLASS_NAME.matcher(code);
                assertWithMessage("a complete file declares a public class:\n%s", code).that(name.find()).isTrue();
                files.add(JavaFileObjects.forSourceString(pkg.group(1) + "." + name.group(1), code));
            } else {
                String before = readme.substring(Math.max(0, readme.lastIndexOf("\n\n", block.start() - 3)), block.start());
                Matcher link = LINK_TO_JAVA.matcher(before);
                assertWithMessage("an excerpt must follow a paragraph linking the file it comes from:\n%s", code).that(link.find()).isTrue();
                do {
                    assertWithMessage("the README links %s", link.group(1)).that(Files.isRegularFile(REPOSITORY.resolve(link.group(1)))).isTrue();
                } while (link.find());
                excerpts++;
            }
        }
        assertThat(files.size()).isAtLeast(3);
        assertThat(excerpts).isAtLeast(1);

        GrowbinProject project = GrowbinProject.minimal(root);
        Compilation compilation = Compiler.javac().withProcessors(new GrowbinProcessor())
                .withOptions("-Agrowbin.config=" + project.config, "-Agrowbin.output=" + project.output)
                .compile(files);
        GrowbinProject.assertNeverCrashed(compilation);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(project.read("README.md")).contains("rest_scans -. \"tasks\" .-> queue_ocr");
    }

    @Test
    void theReadmeNamesEverySecretTheSamplesManifestsNeed() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int start = readme.indexOf("## Before the first sync");
        assertThat(start).isAtLeast(0);
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        String generated = Files.readString(REPOSITORY.resolve("k8s-out/README.md"));
        Set<String> needed = new TreeSet<>();
        Matcher row = SECRET_ROW.matcher(generated);
        while (row.find()) {
            needed.add(row.group(1));
        }
        assertThat(needed).isNotEmpty();
        for (String secret : needed) {
            assertWithMessage("README.md, Before the first sync: the Secret %s that k8s-out/README.md lists", secret)
                    .that(section).contains("Secret `" + secret + "`");
        }
    }
}
