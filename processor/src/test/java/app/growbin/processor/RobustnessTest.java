package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input the processor cannot make sense of fails the compile with javac's or Growbin's own message,
 * never with "An annotation processor threw an uncaught exception" ({@link GrowbinProject#compile}
 * checks that for every compile of the suite).
 */
class RobustnessTest {

    @TempDir
    Path root;

    @Test
    void missingRequiredMemberLeavesTheErrorToJavac() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject waste = source("WasteApi", """
                @RestService(replicas = 2)
                public final class WasteApi {}
                """);
        Compilation compilation = project.compile(waste);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("path").inFile(waste).onLineContaining("@RestService");
        project.assertNothingWritten();
    }

    @Test
    void unresolvableMemberValueLeavesTheErrorToJavac() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = Paths.WASTE)
                public final class WasteApi {}
                """);
        Compilation compilation = project.compile(waste);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(waste).onLineContaining("Paths.WASTE");
        project.assertNothingWritten();
    }

    @Test
    void unwritableOutputIsAnErrorNotACrash() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root);
        Path blocked = root.resolve("not-a-folder");
        Files.writeString(blocked, "a file where the output folder should be\n");
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """);
        Compilation compilation = project.compile(List.of("-Agrowbin.output=" + blocked), waste);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[growbin:output] -Agrowbin.output: cannot write the manifests to " + blocked + " (");
        assertThat(compilation).hadErrorContaining("Not a directory");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void inputWithoutGrowbinAnnotationsWritesNothing() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject plain = source("Plain", "public final class Plain {}\n");
        assertThat(project.compile(plain)).succeeded();
        project.assertNothingWritten();
    }
}
