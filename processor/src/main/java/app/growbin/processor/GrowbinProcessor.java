package app.growbin.processor;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.Env;
import app.growbin.annotations.Envs;
import app.growbin.annotations.HttpLimits;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.NodeSelectors;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.SecretEnvs;
import app.growbin.annotations.SendsTasks;
import app.growbin.annotations.Slo;
import app.growbin.annotations.Task;
import app.growbin.processor.model.ApplicationModel;
import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.ModelBuilder;
import app.growbin.processor.problem.Problem;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.CarriedFilesReader;
import app.growbin.processor.read.DeclarationReader;
import app.growbin.processor.read.DeclarationRecords;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.ValuesFile;
import app.growbin.processor.read.ValuesFileReader;
import app.growbin.processor.render.AlertTestsRenderer;
import app.growbin.processor.render.ArgoApplicationRenderer;
import app.growbin.processor.render.OverviewRenderer;
import app.growbin.processor.render.helm.HelmChartRenderer;
import app.growbin.processor.validate.Validator;
import app.growbin.processor.write.CatalogSourceWriter;
import app.growbin.processor.write.ManifestFolderWriter;
import app.growbin.processor.write.OutputFiles;
import app.growbin.processor.write.WriteReport;
import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The Growbin annotation processor: read → validate → model → render → write, once per compilation.
 * Nothing is written when any problem was found; every problem is reported.
 */
@AutoService(Processor.class)
public final class GrowbinProcessor extends AbstractProcessor {

    static final List<Class<?>> ANNOTATIONS = List.of(
            RestService.class, AsyncWorker.class, Task.class, Resources.class, HttpLimits.class, NodeSelector.class, NodeSelectors.class,
            Autoscaling.class, Env.class, Envs.class, SecretEnv.class, SecretEnvs.class, SendsTasks.class, Slo.class);

    /**
     * Marks a class output that holds declaration records: a compilation whose class path has one in
     * another folder (the tests of the application, or a module that depends on it) and that declares
     * nothing itself writes no manifests.
     */
    static final String RECORDS_MARKER = "META-INF/growbin/declarations.txt";

    private boolean done;

    /**
     * Every type ({@code "*"}), not only the Growbin annotations: javac calls a processor only when
     * one of its annotations is present, and the output must also follow a compilation that has none
     * left (the last annotated class deleted, or an IDE recompiling only classes without annotations
     * while an annotated one was deleted). The processor claims nothing.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(BuildOptions.CONFIG, BuildOptions.OUTPUT, BuildOptions.IMAGE_TAG);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (done || round.processingOver()) {
            return false;
        }
        done = true;
        try {
            run(round);
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "[growbin:" + Rule.OUTPUT.id() + "] -A" + BuildOptions.OUTPUT
                    + ": cannot write the manifests to " + BuildOptions.from(processingEnv.getOptions()).outputFolder() + " (" + e
                    + "); make it a writable folder or point -A" + BuildOptions.OUTPUT + " elsewhere");
        } catch (RuntimeException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "[growbin:internal] the Growbin processor failed unexpectedly; nothing was written. Please report this with the trace:\n" + trace(e));
        }
        return false;
    }

    private void run(RoundEnvironment round) throws IOException {
        Set<TypeElement> annotationTypes = new LinkedHashSet<>();
        for (Class<?> annotation : ANNOTATIONS) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(annotation.getCanonicalName());
            if (type != null) {
                annotationTypes.add(type);
            }
        }
        Set<? extends Element> annotated = round.getElementsAnnotatedWithAny(annotationTypes.toArray(new TypeElement[0])); // one scan of the sources, not one per annotation
        BuildOptions options = BuildOptions.from(processingEnv.getOptions());
        DeclarationReader reader = new DeclarationReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
        Declarations compiled = reader.read(annotated);
        AggregatedRecords records = new AggregatedRecords(processingEnv);
        DeclarationRecords.Result earlier = records.readEarlier(round, reader);
        records.write(compiled);
        Declarations declarations = compiled.withEarlier(earlier.workloads());
        if (declarations.workloads().isEmpty() && records.downstreamOfAnApplication()) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: nothing declared here, and the class path holds the"
                    + " declarations of an application compiled elsewhere (a test compile?): no manifests written");
            return;
        }
        // The last generation had these very inputs and no problem at all (it is recorded only then), and
        // its files are intact: validating, reading the values and rendering would give it again.
        Optional<Path> stateFile = options.configFolder().isPresent() && !declarations.workloads().isEmpty()
                && declarations.orphanTasks().isEmpty() && declarations.orphanModifiers().isEmpty()
                ? records.besideClassOutput(LastGeneration.SUFFIX)
                : Optional.empty();
        Optional<LastGeneration> last = stateFile.isPresent() ? Optional.of(new LastGeneration(stateFile.get())) : Optional.empty();
        byte[] inputs = last.isPresent() ? LastGeneration.inputs(declarations, options) : new byte[0];
        Optional<String> stale = last.isPresent() ? last.get().staleBecause(inputs, options) : Optional.empty();
        if (last.isPresent() && stale.isEmpty()) {
            for (GeneratedFile file : last.get().generatedFiles()) {
                writeUnlessInPlace(file, records);
            }
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: " + options.outputFolder() + "/ is up to date: the"
                    + " annotations, values files, options and processor are those of its last generation and its files are intact;"
                    + " nothing rendered");
            return;
        }
        List<GeneratedFile> filedBefore = List.of();
        if (last.isPresent()) {
            filedBefore = last.get().generatedFiles();
            last.get().forget();
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: rendering " + options.outputFolder() + "/: "
                    + stale.orElseThrow() + " since the last generation");
        }
        Validator validator = new Validator();
        List<Problem> problems = new ArrayList<>(validator.validateDeclarations(declarations));
        List<GeneratedFile> generated = List.of();
        if (problems.isEmpty() && declarations.runtimeOnClasspath() && !declarations.workloads().isEmpty()) {
            generated = writeSources(new ModelBuilder().catalog(declarations), records, filedBefore);
        }
        if (options.configFolder().isEmpty()) {
            new ProblemReporter(processingEnv).report(problems);
            if (!declarations.workloads().isEmpty()) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, "[growbin:configuration] no -A"
                        + BuildOptions.CONFIG + "=<folder with values.yaml> given, so no Kubernetes manifests were written");
            }
            return;
        }
        if (declarations.workloads().isEmpty()) {
            new ProblemReporter(processingEnv).report(problems);
            if (problems.stream().noneMatch(Problem::isError)) {
                removeManifests(options);
            }
            return;
        }
        ValuesFileReader.Result values = new ValuesFileReader().read(options.configFolder().get());
        problems.addAll(validator.validateEnvironments(declarations, values, options));
        CarriedFilesReader.Result carried = new CarriedFilesReader().read(options.configFolder().get(),
                values.overlays().stream().map(ValuesFile::environment).toList());
        problems.addAll(validator.validateCarriedFiles(carried));
        new ProblemReporter(processingEnv).report(problems);
        if (problems.stream().anyMatch(Problem::isError)) {
            return;
        }
        ApplicationModel model = new ModelBuilder().build(declarations, values, options);
        Optional<OutputFiles> written = writeManifests(model, carried, options);
        if (written.isPresent() && problems.isEmpty() && last.isPresent()) {
            last.get().save(inputs, written.get().allFiles().keySet(), written.get().alertTests().keySet(), options, generated);
        }
    }

    /** Writes every file; returns them, or nothing when a problem stopped the writing. */
    private Optional<OutputFiles> writeManifests(ApplicationModel model, CarriedFilesReader.Result carried, BuildOptions options)
            throws IOException {
        OutputFiles output = OutputFiles.of(model, carried.files());
        if (!output.problems().isEmpty()) {
            new ProblemReporter(processingEnv).report(output.problems());
            return Optional.empty();
        }
        ManifestFolderWriter writer = new ManifestFolderWriter(options.outputFolder());
        for (Map.Entry<EnvironmentModel, SortedMap<String, String>> entry : output.environments().entrySet()) {
            note(entry.getKey(), writer.write(entry.getKey().name(), entry.getValue()), options);
        }
        writer.write(ArgoApplicationRenderer.FOLDER, output.applications());
        writer.write(HelmChartRenderer.FOLDER, output.chart());
        testsWriter(options).write(options.testsFolder().getFileName().toString(), output.alertTests());
        if (!writer.write(AlertTestsRenderer.LEGACY_FOLDER, new TreeMap<>()).removed().isEmpty()) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: removed " + options.outputFolder().resolve(
                    AlertTestsRenderer.LEGACY_FOLDER) + "/: the alerts' promtool tests are in " + options.testsFolder() + "/ now");
        }
        if (output.overview().isPresent()) {
            writer.writeFile(OverviewRenderer.FILE, output.overview().get());
        }
        Set<String> names = model.environments().stream().map(EnvironmentModel::name).collect(Collectors.toSet());
        for (String removed : writer.removeStaleEnvironments(names)) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: removed " + options.outputFolder().resolve(removed)
                    + "/: no values-" + removed + ".yaml defines that environment any more");
        }
        return Optional.of(output);
    }

    /** Owns {@link BuildOptions#testsFolder()}, beside the output folder. */
    private static ManifestFolderWriter testsWriter(BuildOptions options) {
        return new ManifestFolderWriter(options.testsFolder().getParent());
    }

    /**
     * No class declares a service or worker any more (the last one was deleted): the output folder
     * becomes what a clean build of such an application gives, nothing the processor writes.
     */
    private void removeManifests(BuildOptions options) throws IOException {
        ManifestFolderWriter writer = new ManifestFolderWriter(options.outputFolder());
        List<String> removed = new ArrayList<>(writer.removeStaleEnvironments(Set.of()));
        for (String folder : List.of(ArgoApplicationRenderer.FOLDER, HelmChartRenderer.FOLDER, AlertTestsRenderer.LEGACY_FOLDER)) {
            if (!writer.write(folder, new TreeMap<>()).removed().isEmpty()) {
                removed.add(folder);
            }
        }
        String tests = options.testsFolder().getFileName().toString();
        if (!testsWriter(options).write(tests, new TreeMap<>()).removed().isEmpty()) {
            removed.add("../" + tests);
        }
        if (writer.removeGeneratedFile(OverviewRenderer.FILE)) {
            removed.add(OverviewRenderer.FILE);
        }
        if (!removed.isEmpty()) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "growbin: no @RestService or @AsyncWorker is declared any more;"
                    + " removed " + String.join(", ", removed) + " from " + options.outputFolder());
        }
    }

    /**
     * The catalog the launcher starts services from, and a typed client per worker, each with the
     * classes of this compilation it comes from as originating elements; returns them. Those the last
     * generation wrote with the same text and that are still in place are not written again
     * ({@link #writeUnlessInPlace}): a change of the values files alone costs javac no second round.
     */
    private List<GeneratedFile> writeSources(Catalog catalog, AggregatedRecords records, List<GeneratedFile> before)
            throws IOException {
        List<GeneratedFile> generated = new ArrayList<>();
        for (JavaFile source : new CatalogSourceWriter().write(catalog)) {
            String name = source.packageName().isEmpty() ? source.typeSpec().name() : source.packageName() + "." + source.typeSpec().name();
            generated.add(new GeneratedFile(GeneratedFile.Kind.SOURCE, name, records.namesOf(records.originsOf(catalog, source.typeSpec().name())),
                    source.toString()));
        }
        generated.add(new GeneratedFile(GeneratedFile.Kind.RESOURCE, CatalogSourceWriter.servicesFileName(),
                records.namesOf(records.compiledElements()), CatalogSourceWriter.servicesFileContent(catalog)));
        for (GeneratedFile file : generated) {
            if (wroteTheSame(before, file)) {
                writeUnlessInPlace(file, records);
            } else {
                write(file, records);
            }
        }
        return generated;
    }

    /**
     * Writes a file the last generation wrote with this text unless it is still in place: a source with
     * that text in the generated sources and its class compiled after it (as make decides), a resource
     * with that content. Left alone, a source costs javac no further round; one the class output lost (a
     * Maven build deletes what the last compilation created there), or whose compilation failed, is
     * written again.
     */
    private void writeUnlessInPlace(GeneratedFile file, AggregatedRecords records) throws IOException {
        Optional<Path> classes = records.classOutputFolder();
        if (classes.isEmpty() || !stillInPlace(file, classes.get())) {
            write(file, records);
        }
    }

    /** The same kind, name and text (the originating elements may differ: a partial compilation names only its own classes). */
    private static boolean wroteTheSame(List<GeneratedFile> before, GeneratedFile file) {
        for (GeneratedFile earlier : before) {
            if (earlier.kind() == file.kind() && earlier.name().equals(file.name()) && earlier.text().equals(file.text())) {
                return true;
            }
        }
        return false;
    }

    private boolean stillInPlace(GeneratedFile file, Path classes) throws IOException {
        if (file.kind() == GeneratedFile.Kind.RESOURCE) {
            return hasText(classes.resolve(file.name()), file.text());
        }
        Path compiled = classes.resolve(file.classFile());
        Optional<Path> source = sourceOutput(file);
        return source.isPresent() && hasText(source.get(), file.text()) && Files.isRegularFile(compiled)
                && Files.getLastModifiedTime(compiled).compareTo(Files.getLastModifiedTime(source.get())) >= 0;
    }

    /** Where the Filer would write the source, when that is a file on disk. */
    private Optional<Path> sourceOutput(GeneratedFile source) {
        int dot = source.name().lastIndexOf('.');
        String pkg = dot < 0 ? "" : source.name().substring(0, dot);
        try {
            return Optional.of(Path.of(processingEnv.getFiler().getResource(StandardLocation.SOURCE_OUTPUT, pkg,
                    source.name().substring(dot + 1) + ".java").toUri()));
        } catch (IOException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException | SecurityException notAFile) {
            return Optional.empty();
        }
    }

    private static boolean hasText(Path file, String text) throws IOException {
        return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(GeneratedFile file, AggregatedRecords records) throws IOException {
        Filer filer = processingEnv.getFiler();
        Element[] origins = records.compiledNamed(file.origins());
        FileObject target = file.kind() == GeneratedFile.Kind.SOURCE
                ? filer.createSourceFile(file.name(), origins)
                : filer.createResource(StandardLocation.CLASS_OUTPUT, "", file.name(), origins);
        try (Writer writer = target.openWriter()) {
            writer.write(file.text());
        }
    }

    private void note(EnvironmentModel environment, WriteReport report, BuildOptions options) {
        String rest = names(environment.restServices().stream().map(s -> s.name()).toList());
        String workers = names(environment.workers().stream().map(w -> w.name()).toList());
        int files = report.written().size() + report.unchanged().size();
        String message = "growbin: " + options.outputFolder().resolve(environment.name()) + "/: "
                + environment.restServices().size() + " REST services (" + rest + "), "
                + environment.workers().size() + " workers (" + workers + ")"
                + (environment.disabled().isEmpty() ? "" : ", disabled: " + String.join(", ", environment.disabled()))
                + "; " + files + " files, " + report.written().size() + " written, " + report.unchanged().size() + " unchanged, "
                + report.removed().size() + " removed" + (report.removed().isEmpty() ? "" : " (" + String.join(", ", report.removed()) + ")");
        processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, message);
    }

    /** At most ten names, so that a NOTE stays one readable line for a large application. */
    private static String names(List<String> names) {
        int shown = Math.min(names.size(), 10);
        String listed = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? listed + " and " + (names.size() - shown) + " more" : listed;
    }

    private static String trace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
