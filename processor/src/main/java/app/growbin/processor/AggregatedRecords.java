package app.growbin.processor;

import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.read.DeclarationReader;
import app.growbin.processor.read.DeclarationRecord;
import app.growbin.processor.read.DeclarationRecords;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.site.Site;
import app.growbin.processor.write.TaskClientSourceWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The aggregating step of incremental compilation. An IDE or Gradle compiles only the classes that
 * changed, against the previous class output; the processor then sees only those. So every annotated
 * class leaves a declaration record ({@link DeclarationRecord}) in the class output, written through
 * the Filer with the class as originating element (the build tool deletes it with the class), and
 * each compilation reads the records of the classes it does not compile, as Dagger Hilt's aggregated
 * dependencies do. A record counts only while its class exists and still carries its annotation.
 */
final class AggregatedRecords {

    private final ProcessingEnvironment environment;
    private final Filer filer;
    /** The annotated classes of this compilation, by name. */
    private final Map<String, TypeElement> compiled = new LinkedHashMap<>();
    private final Set<String> recordFiles = new TreeSet<>();

    AggregatedRecords(ProcessingEnvironment environment) {
        this.environment = environment;
        this.filer = environment.getFiler();
    }

    /**
     * The declarations of the classes that this compilation does not compile, from the records in the
     * class output. Empty when the class output is not a folder (an in-memory file manager).
     */
    DeclarationRecords.Result readEarlier(RoundEnvironment round, DeclarationReader reader) {
        Set<String> compiledTypes = new TreeSet<>();
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement type) {
                compiledTypes.add(type.getQualifiedName().toString());
            }
        }
        Optional<Path> folder = recordsFolder();
        if (folder.isEmpty()) {
            return DeclarationRecords.Result.none();
        }
        DeclarationRecords.Result result = DeclarationRecords.read(folder.get(), new DeclarationRecords.Filter() {
            @Override
            public boolean compiledNow(String className) {
                return isCompiled(className, compiledTypes);
            }

            @Override
            public boolean wanted(String className, DeclaredWorkload declared) {
                return !isCompiled(className, compiledTypes) && reader.stillDeclares(className, declared.kind());
            }
        });
        for (String unreadable : result.unreadable()) {
            environment.getMessager().printMessage(Diagnostic.Kind.WARNING, "[growbin:configuration] ignored the declaration record "
                    + unreadable + " in " + folder.get() + ": it is not one this processor version reads; a full build (mvn clean compile,"
                    + " or the IDE's rebuild) writes it again");
        }
        for (DeclaredWorkload workload : result.workloads()) {
            recordFiles.add(DeclarationRecord.fileName(workload));
        }
        return result;
    }

    /** Writes the record of every annotated class of this compilation, and the marker of a class output with records. */
    void write(Declarations declarations) throws IOException {
        for (DeclaredWorkload workload : declarations.workloads()) {
            if (!(workload.site() instanceof Site.InSource source) || !(source.element() instanceof TypeElement type)) {
                continue;
            }
            compiled.put(workload.className(), type);
            String file = DeclarationRecord.fileName(workload);
            recordFiles.add(file);
            FileObject record = filer.createResource(StandardLocation.CLASS_OUTPUT, "", DeclarationRecord.FOLDER + "/" + file, type);
            try (Writer writer = record.openWriter()) {
                writer.write(DeclarationRecord.text(workload));
            }
        }
        if (!recordFiles.isEmpty()) {
            FileObject marker = filer.createResource(StandardLocation.CLASS_OUTPUT, "", GrowbinProcessor.RECORDS_MARKER, compiledElements());
            try (Writer writer = marker.openWriter()) {
                writer.write("# The Growbin declaration records of this class output (" + DeclarationRecord.FOLDER + "/)\n");
                for (String file : recordFiles) {
                    writer.write(file + "\n");
                }
            }
        }
    }

    /** The annotated classes of this compilation: the originating elements of what aggregates them all. */
    Element[] compiledElements() {
        return compiled.values().toArray(new Element[0]);
    }

    /** The qualified names of classes. */
    List<String> namesOf(Element[] elements) {
        List<String> names = new ArrayList<>();
        for (Element element : elements) {
            names.add(((TypeElement) element).getQualifiedName().toString());
        }
        return names;
    }

    /** The classes of this compilation of those names (a class compiled earlier is no originating element here). */
    Element[] compiledNamed(List<String> names) {
        List<Element> elements = new ArrayList<>();
        for (String name : names) {
            TypeElement type = compiled.get(name);
            if (type != null) {
                elements.add(type);
            }
        }
        return elements.toArray(new Element[0]);
    }

    /** The originating elements of a generated type: its worker for a task client, every compiled class for the catalog. */
    Element[] originsOf(Catalog catalog, String simpleName) {
        for (WorkerModel worker : catalog.workers()) {
            if (TaskClientSourceWriter.clientSimpleName(worker).equals(simpleName)) {
                TypeElement type = compiled.get(worker.sourceClass());
                return type == null ? new Element[0] : new Element[] {type};
            }
        }
        return compiledElements();
    }

    /**
     * Whether the class path holds the records of an application in another class output: then a
     * compilation that declares nothing is a downstream one (the tests of the application, a module
     * that depends on it), not the application without services.
     */
    boolean downstreamOfAnApplication() {
        Optional<URI> own = uri(StandardLocation.CLASS_OUTPUT);
        Optional<URI> onClassPath = uri(StandardLocation.CLASS_PATH).filter(this::exists);
        return onClassPath.isPresent() && !onClassPath.equals(own);
    }

    private Optional<URI> uri(StandardLocation location) {
        try {
            return Optional.of(filer.getResource(location, "", GrowbinProcessor.RECORDS_MARKER).toUri().normalize());
        } catch (IOException | RuntimeException notThere) {
            return Optional.empty();
        }
    }

    private boolean exists(URI uri) {
        try {
            return !"file".equals(uri.getScheme()) || java.nio.file.Files.isRegularFile(Path.of(uri));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The records folder of the class output, when the class output is a folder on disk. */
    private Optional<Path> recordsFolder() {
        try {
            FileObject probe = filer.getResource(StandardLocation.CLASS_OUTPUT, "", DeclarationRecord.FOLDER + "/probe");
            return Optional.of(Path.of(probe.toUri()).getParent());
        } catch (IOException | IllegalArgumentException | FileSystemNotFoundException | SecurityException notAFolder) {
            return Optional.empty();
        }
    }

    /** The class output folder, when it is a folder on disk. */
    Optional<Path> classOutputFolder() {
        Optional<Path> records = recordsFolder();
        return records.isPresent() ? Optional.of(records.get().getParent().getParent().getParent()) : Optional.empty();
    }

    /**
     * A file beside the class output folder ({@code target/growbin/classes.<suffix>} for
     * {@code target/classes}), when the class output is a folder on disk. Beside it, not in it: Maven's
     * compiler plugin deletes every file a compilation created in the class output before it compiles
     * the module again.
     */
    Optional<Path> besideClassOutput(String suffix) {
        Optional<Path> classes = classOutputFolder();
        if (classes.isEmpty() || classes.get().getParent() == null || classes.get().getFileName() == null) {
            return Optional.empty();
        }
        return Optional.of(classes.get().getParent().resolve("growbin").resolve(classes.get().getFileName() + "." + suffix));
    }

    /** A nested class is compiled with its top-level class. */
    private static boolean isCompiled(String className, Set<String> compiledTypes) {
        for (String name = className; ; name = name.substring(0, name.lastIndexOf('.'))) {
            if (compiledTypes.contains(name)) {
                return true;
            }
            if (name.lastIndexOf('.') < 0) {
                return false;
            }
        }
    }
}
