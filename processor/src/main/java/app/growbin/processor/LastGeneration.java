package app.growbin.processor;

import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.DeclarationRecord;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.render.AlertTestsRenderer;
import app.growbin.processor.render.ArgoApplicationRenderer;
import app.growbin.processor.render.helm.HelmChartRenderer;
import app.growbin.processor.write.ManifestFolderWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the last generation was made from and what it wrote, so that a compilation whose inputs have
 * not changed (most compilations change method bodies, not annotations or values) can leave
 * {@code k8s-out/} alone without reading the values files, building the model or rendering anything.
 *
 * <p>The <em>inputs</em> are the processor's version, the options, the declaration record
 * ({@link DeclarationRecord#text}) of every declared class (the compiled ones and the ones read from
 * earlier records) and the bytes of every file in the configuration folder (the values files, each
 * environment's patches and resources), kept whole and compared whole: no digest, so nothing can
 * collide, and no YAML is parsed. For every file the generation wrote, the state keeps its size,
 * modification time, change time and inode ({@link FileStamp}), as Git's index does: an edit, a
 * deletion or a checkout of the file changes them. The generation may be skipped only when the inputs
 * are equal, every written file still has its stamp, and no other file sits where the processor would
 * remove it; a hand-edited, deleted or added output file therefore brings a full generation, which
 * restores the output. The state also keeps the Java sources and resources the generation wrote
 * through the Filer ({@link GeneratedFile}), so that a skipped compilation can write them again
 * without building the catalog.
 *
 * <p>The state file lives beside the class output folder ({@code target/growbin/classes.last-generation.txt}),
 * not in it: Maven's compiler plugin deletes what a compilation created in the class output before it
 * recompiles. A clean build ({@code mvn clean}) removes it and renders again. It is written only
 * after a generation without any problem, so that a skipped compilation never hides a warning.
 */
final class LastGeneration {

    /** The state file's name after the class output folder's: {@code target/growbin/classes.last-generation.txt}. */
    static final String SUFFIX = "last-generation.txt";
    /** Bump when the meaning of the inputs or of the state file changes. */
    private static final String FORMAT = "growbin-last-generation 3";
    private static final String INPUTS = "inputs";
    private static final String OUTPUTS = "outputs";
    /** The files of {@link BuildOptions#testsFolder()}, beside the output folder. */
    private static final String TESTS = "tests";

    private final Path stateFile;
    /** The sections of the state file, read once. */
    private Optional<Map<String, byte[]>> sections;

    LastGeneration(Path stateFile) {
        this.stateFile = stateFile;
    }

    /** Everything a generation is made from, as bytes. */
    static byte[] inputs(Declarations declarations, BuildOptions options) throws IOException {
        ByteArrayOutputStream inputs = new ByteArrayOutputStream(4096);
        line(inputs, FORMAT);
        line(inputs, "processor " + processorVersion());
        line(inputs, "config " + (options.configFolder().isPresent() ? options.configFolder().get().toString() : ""));
        line(inputs, "output " + options.outputFolder());
        line(inputs, "image.tag " + options.imageTag().orElse(""));
        line(inputs, "runtime " + declarations.runtimeOnClasspath());
        for (DeclaredWorkload workload : declarations.workloads()) {
            line(inputs, "record " + DeclarationRecord.fileName(workload));
            line(inputs, DeclarationRecord.text(workload));
        }
        if (options.configFolder().isPresent() && Files.isDirectory(options.configFolder().get())) {
            Path config = options.configFolder().get();
            for (Path file : regularFilesUnder(config)) {
                byte[] bytes = Files.readAllBytes(file);
                line(inputs, "file " + relative(config, file) + " " + bytes.length);
                inputs.write(bytes);
            }
        }
        return inputs.toByteArray();
    }

    /**
     * Why the output must be rendered again, or nothing when the last generation had these inputs
     * and its output is intact: every file it wrote has the stamp it had, and no other file is in a
     * folder the processor owns.
     */
    Optional<String> staleBecause(byte[] inputs, BuildOptions options) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return Optional.of("no earlier generation is recorded in the class output");
        }
        Optional<Map<String, byte[]>> state = sections();
        if (state.isEmpty() || !state.get().containsKey(INPUTS) || !state.get().containsKey(OUTPUTS) || !state.get().containsKey(TESTS)) {
            return Optional.of("the record of the last generation is not one this processor reads");
        }
        if (!Arrays.equals(state.get().get(INPUTS), inputs)) {
            return Optional.of("the annotations, values files, carried files, options or processor changed");
        }
        Optional<Map<String, String>> written = stamps(state.get().get(OUTPUTS));
        Optional<Map<String, String>> tests = stamps(state.get().get(TESTS));
        if (written.isEmpty() || tests.isEmpty()) {
            return Optional.of("the record of the last generation is damaged");
        }
        // the folders the processor owns: every one it wrote to, and the old place of the tests, which a generation removes
        Set<String> folders = new TreeSet<>(List.of(ArgoApplicationRenderer.FOLDER, HelmChartRenderer.FOLDER, AlertTestsRenderer.LEGACY_FOLDER));
        for (String path : written.get().keySet()) {
            int slash = path.indexOf('/');
            if (slash > 0) {
                folders.add(path.substring(0, slash));
            }
        }
        // loops, not lambdas or streams: this is the path of every compilation that changes nothing
        Path testsFolder = options.testsFolder();
        String testsShown = testsFolder.getFileName() + "/";
        Optional<String> changed = changedFile(options.outputFolder(), written.get(), "");
        if (changed.isEmpty()) {
            changed = changedFile(testsFolder, tests.get(), testsShown);
        }
        if (changed.isPresent()) {
            return changed;
        }
        Optional<String> other = otherFile(options.outputFolder(), folders, written.get().keySet());
        if (other.isEmpty()) {
            for (Path file : regularFilesUnder(testsFolder)) {
                if (!tests.get().containsKey(relative(testsFolder, file))) {
                    other = Optional.of(testsShown + relative(testsFolder, file));
                    break;
                }
            }
        }
        return other.isPresent() ? Optional.of(other.get() + " was added") : Optional.empty();
    }

    /** The stamp of each file of an outputs section, by path; empty when a line is damaged. */
    private static Optional<Map<String, String>> stamps(byte[] section) {
        Map<String, String> written = new TreeMap<>();
        for (String line : new String(section, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                return Optional.empty();
            }
            written.put(line.substring(tab + 1), line.substring(0, tab));
        }
        return Optional.of(written);
    }

    /** The first file below {@code root} that was deleted or changed since its stamp, as "{@code <shown><path> was ...}". */
    private static Optional<String> changedFile(Path root, Map<String, String> stamps, String shown) {
        for (Map.Entry<String, String> file : stamps.entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                return Optional.of(shown + file.getKey() + " was deleted");
            }
            try {
                if (!FileStamp.of(path).equals(file.getValue())) {
                    return Optional.of(shown + file.getKey() + " was changed");
                }
            } catch (IOException unreadable) {
                return Optional.of(shown + file.getKey() + " is unreadable");
            }
        }
        return Optional.empty();
    }

    /** The sources and resources the last generation wrote through the Filer, in the order it wrote them. */
    List<GeneratedFile> generatedFiles() {
        List<GeneratedFile> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> section : sections().orElse(Map.of()).entrySet()) {
            String[] header = section.getKey().split(" ", -1);
            if (header.length == 3 && (header[0].equals("SOURCE") || header[0].equals("RESOURCE"))) {
                files.add(new GeneratedFile(GeneratedFile.Kind.valueOf(header[0]), header[1],
                        header[2].isEmpty() ? List.of() : List.of(header[2].split(",")), new String(section.getValue(), StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    /**
     * Records a generation without problems: its inputs, the stamp of each file it wrote (paths below
     * the output folder, and below the tests folder beside it), and what it wrote through the Filer.
     */
    void save(byte[] inputs, Set<String> written, Set<String> tests, BuildOptions options, List<GeneratedFile> generated) throws IOException {
        String outputs = stampLines(options.outputFolder(), written);
        ByteArrayOutputStream state = new ByteArrayOutputStream(inputs.length + outputs.length() + 4096);
        line(state, FORMAT);
        section(state, INPUTS, inputs);
        section(state, OUTPUTS, outputs.getBytes(StandardCharsets.UTF_8));
        section(state, TESTS, stampLines(options.testsFolder(), tests).getBytes(StandardCharsets.UTF_8));
        for (GeneratedFile file : generated) {
            section(state, file.kind() + " " + file.name() + " " + String.join(",", file.origins()), file.text().getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(stateFile.getParent());
        Path temporary = Files.createTempFile(stateFile.getParent(), ".last-generation-", ".tmp");
        Files.write(temporary, state.toByteArray());
        Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        sections = Optional.empty();
    }

    private static String stampLines(Path root, Set<String> files) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String file : new TreeSet<>(files)) {
            lines.append(FileStamp.of(root.resolve(file))).append('\t').append(file).append('\n');
        }
        return lines.toString();
    }

    /** Forgets the last generation: the next compilation renders. */
    void forget() throws IOException {
        Files.deleteIfExists(stateFile);
        sections = Optional.empty();
    }

    /**
     * The state file: the format line, then sections, each a header line {@code @<length> <name>}
     * followed by that many bytes and a newline. Empty when it is not one this processor wrote.
     */
    private Optional<Map<String, byte[]>> sections() {
        if (sections != null && sections.isPresent()) {
            return sections;
        }
        sections = Optional.empty();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(stateFile);
        } catch (IOException unreadable) {
            return sections;
        }
        byte[] format = (FORMAT + "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length < format.length || !Arrays.equals(bytes, 0, format.length, format, 0, format.length)) {
            return sections;
        }
        Map<String, byte[]> read = new LinkedHashMap<>();
        int at = format.length;
        while (at < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', at);
            int space = indexOf(bytes, (byte) ' ', at);
            if (end < 0 || bytes[at] != '@' || space < 0 || space > end) {
                return sections;
            }
            int length;
            try {
                length = Integer.parseInt(new String(bytes, at + 1, space - at - 1, StandardCharsets.US_ASCII));
            } catch (NumberFormatException damaged) {
                return sections;
            }
            if (length < 0 || end + 1 + length + 1 > bytes.length || bytes[end + 1 + length] != '\n') {
                return sections;
            }
            read.put(new String(bytes, space + 1, end - space - 1, StandardCharsets.UTF_8), Arrays.copyOfRange(bytes, end + 1, end + 1 + length));
            at = end + 1 + length + 1;
        }
        sections = Optional.of(read);
        return sections;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static void section(ByteArrayOutputStream state, String name, byte[] content) {
        line(state, "@" + content.length + " " + name);
        state.writeBytes(content);
        state.write('\n');
    }

    /**
     * A file in the processor's folders other than the written ones, or another generated environment
     * folder (one with a generated kustomization.yaml, which a generation would remove).
     */
    private static Optional<String> otherFile(Path output, Set<String> folders, Set<String> written) throws IOException {
        for (String folder : folders) {
            for (Path file : regularFilesUnder(output.resolve(folder))) {
                String path = relative(output, file);
                if (!written.contains(path)) {
                    return Optional.of(path);
                }
            }
        }
        if (!Files.isDirectory(output)) {
            return Optional.empty();
        }
        List<Path> top = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(output)) {
            for (Path child : children) {
                top.add(child);
            }
        }
        Collections.sort(top);
        for (Path folder : top) {
            Path kustomization = folder.resolve("kustomization.yaml");
            if (Files.isDirectory(folder) && !folders.contains(folder.getFileName().toString()) && Files.isRegularFile(kustomization)
                    && Files.readString(kustomization, StandardCharsets.UTF_8).startsWith(ManifestFolderWriter.GENERATED_MARK)) {
                return Optional.of(relative(output, folder) + "/");
            }
        }
        return Optional.empty();
    }

    /**
     * Every regular file below {@code folder}, sorted; none when it is not a folder. A visitor, not a stream
     * pipeline: this runs on every compilation, where each lambda's first call costs a class spun at run time.
     */
    private static List<Path> regularFilesUnder(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(files);
        return files;
    }

    /**
     * The processor's version: the version in its jar's manifest, and the size and time of the jar
     * (or of this class's file when the processor runs from a class folder, as in this build's tests),
     * so that a rebuilt snapshot of the processor renders again.
     */
    private static String processorVersion() {
        String version = Optional.ofNullable(LastGeneration.class.getPackage().getImplementationVersion()).orElse("unversioned");
        try {
            CodeSource source = LastGeneration.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location != null && "file".equals(location.getProtocol())) {
                Path path = Path.of(location.toURI());
                if (Files.isDirectory(path)) {
                    path = path.resolve(GrowbinProcessor.class.getName().replace('.', '/') + ".class");
                }
                return version + " " + Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis();
            }
            URL self = LastGeneration.class.getResource("LastGeneration.class");
            if (self != null) {
                try (InputStream in = self.openStream()) {
                    return version + " " + HexFormat.of().formatHex(sha256().digest(in.readAllBytes()));
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException unknown) {
            // fall through: an unknown build of the processor is never taken for the last one
        }
        return version + " " + System.nanoTime();
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file).toString().replace('\\', '/');
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
