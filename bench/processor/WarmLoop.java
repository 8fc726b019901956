import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The warm cost: repeated compiles in one long-lived JVM, as IntelliJ's build process or the Gradle
 * daemon run javac (javax.tools, in process). The processor's classes are loaded once, in a class
 * loader kept across compiles (as a daemon caches it); each compile gets a new processor instance.
 * Modes, interleaved in every round:
 *
 *   none     -proc:none
 *   changed  Growbin, values-dev.yaml changed before each compile (a comment line toggled), so that
 *            everything is read, validated and rendered again
 *   noop     Growbin, inputs unchanged since the last compile (the changed one): the skip path
 *
 * usage: java WarmLoop.java <gen dir> <app class path> <processor class path> <warm-up rounds> <rounds> <out.tsv>
 * Prints the median per mode, and writes every measured compile to out.tsv.
 */
public final class WarmLoop {

    public static void main(String[] args) throws Exception {
        Path gen = Path.of(args[0]);
        String appCp = args[1];
        URL[] processorPath = Arrays.stream(args[2].split(File.pathSeparator)).map(WarmLoop::url).toArray(URL[]::new);
        int warmUp = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Path values = gen.resolve("k8s/values-dev.yaml");
        String valuesText = Files.readString(values);
        List<Path> sources = Files.readAllLines(gen.resolve("sources.txt")).stream().map(Path::of)
                .filter(p -> !p.getFileName().toString().equals("BenchApplication.java")).toList();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        URLClassLoader loader = new URLClassLoader("growbin-processor", processorPath, ClassLoader.getPlatformClassLoader());
        Map<String, List<double[]>> measured = new LinkedHashMap<>();
        List<String> modes = List.of("none", "changed", "noop"); // noop right after changed: the same inputs
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[5])))) {
            out.println("round\tmode\twall_ms\tthread_cpu_ms\tprocess_cpu_ms");
            for (int round = -warmUp; round < rounds; round++) {
                for (String mode : modes) {
                    if (mode.equals("changed")) {
                        Files.writeString(values, valuesText + (Math.floorMod(round, 2) == 0 ? "# even\n" : "# odd\n"));
                    }
                    double[] m = compile(javac, loader, gen, appCp, sources, mode);
                    if (round >= 0) {
                        measured.computeIfAbsent(mode, k -> new ArrayList<>()).add(m);
                        out.printf(Locale.ROOT, "%d\t%s\t%.2f\t%.2f\t%.2f%n", round, mode, m[0], m[1], m[2]);
                    }
                }
            }
        } finally {
            Files.writeString(values, valuesText);
        }
        for (String mode : modes) {
            List<double[]> runs = measured.get(mode);
            System.out.printf(Locale.ROOT, "%-8s median wall %7.1f ms  thread CPU %7.1f ms  process CPU %7.1f ms  (%d compiles)%n", mode,
                    median(runs, 0), median(runs, 1), median(runs, 2), runs.size());
        }
        for (String mode : List.of("noop", "changed")) {
            System.out.printf(Locale.ROOT, "overhead %-8s wall %+7.1f ms  thread CPU %+7.1f ms  process CPU %+7.1f ms%n", mode,
                    median(measured.get(mode), 0) - median(measured.get("none"), 0),
                    median(measured.get(mode), 1) - median(measured.get("none"), 1),
                    median(measured.get(mode), 2) - median(measured.get("none"), 2));
        }
    }

    /** One compile; wall, this thread's CPU and the process's CPU (GC and JIT threads too), in ms. */
    private static double[] compile(JavaCompiler javac, ClassLoader loader, Path gen, String appCp, List<Path> sources, String mode)
            throws Exception {
        Path proj = gen.resolve("warm-" + (mode.equals("none") ? "none" : "growbin"));
        List<String> options = new ArrayList<>(List.of("--release", "17", "-cp", appCp, "-d", proj.resolve("classes").toString()));
        if (mode.equals("none")) {
            options.add("-proc:none");
        } else {
            options.add("-Agrowbin.config=" + gen.resolve("k8s"));
            options.add("-Agrowbin.output=" + proj.resolve("k8s-out"));
        }
        Files.createDirectories(proj.resolve("classes"));
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long wall0 = System.nanoTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = javac.getTask(Writer.nullWriter(), files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources));
            if (!mode.equals("none")) {
                task.setProcessors(List.of((Processor) loader.loadClass("app.growbin.processor.GrowbinProcessor").getConstructor().newInstance()));
            }
            if (!task.call()) {
                throw new IllegalStateException(mode + " compile failed: " + diagnostics.getDiagnostics());
            }
        }
        double[] result = {(System.nanoTime() - wall0) / 1e6, (threads.getCurrentThreadCpuTime() - thread0) / 1e6,
                (os.getProcessCpuTime() - process0) / 1e6};
        boolean skipped = diagnostics.getDiagnostics().stream().anyMatch(d -> d.getMessage(Locale.ROOT).contains("is up to date"));
        if (mode.equals("noop") != skipped && !mode.equals("none")) {
            throw new IllegalStateException("the " + mode + " compile " + (skipped ? "skipped" : "did not skip") + ": " + diagnostics.getDiagnostics());
        }
        return result;
    }

    private static double median(List<double[]> runs, int column) {
        double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static URL url(String path) {
        try {
            return Path.of(path).toUri().toURL();
        } catch (IOException e) {
            throw new IllegalArgumentException(path, e);
        }
    }
}
