package app.growbin.processor;

import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.DeclarationRecord;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.render.AlertTestsRenderer;
import app.growbin.processor.render.ArgoApplicationRenderer;
import app.growbin.processor.render.helm.HelmChartRenderer;
import app.growbin.processor.write.ManifestFolderWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the last generation was made from and what it wrote, so that a compilation whose inputs have
 * not changed (most compilations change method bodies, not annotations or values) can leave
 * {@code k8s-out/} alone without reading the values files, building the model or rendering anything.
 *
 * <p>The <em>fingerprint</em> is a SHA-256 over the processor's version, the options, the
 * declaration record ({@link DeclarationRecord#text}) of every declared class (the compiled ones and
 * the ones read from earlier records) and the bytes of every file in the configuration folder (the
 * values files, each environment's patches and resources). No YAML is parsed to compute it. The state
 * file keeps the fingerprint and the SHA-256 of every file the generation wrote; the generation may
 * be skipped only when the fingerprint is equal, every one of those files still has its hash, and
 * no other file sits where the processor would remove it. A hand-edited, deleted or added output
 * file therefore brings a full generation, which restores the output.
 *
 * <p>The state file lives beside the class output folder ({@code target/growbin/classes.last-generation.txt}),
 * not in it: Maven's compiler plugin deletes what a compilation created in the class output before it
 * recompiles. A clean build ({@code mvn clean}) removes it and renders again. It is written only
 * after a generation without any problem, so that a skipped compilation never hides a warning.
 */
final class LastGeneration {

    /** The state file's name after the class output folder's: {@code target/growbin/classes.last-generation.txt}. */
    static final String SUFFIX = "last-generation.txt";
    /** Bump when the meaning of the fingerprint or of the state file changes. */
    private static final String FORMAT = "growbin-last-generation 1";

    private final Path stateFile;

    LastGeneration(Path stateFile) {
        this.stateFile = stateFile;
    }

    /** The fingerprint of everything a generation is made from. */
    static String fingerprint(Declarations declarations, BuildOptions options) throws IOException {
        MessageDigest digest = sha256();
        line(digest, FORMAT);
        line(digest, "processor " + processorVersion());
        line(digest, "config " + options.configFolder().map(Path::toString).orElse(""));
        line(digest, "output " + options.outputFolder());
        line(digest, "image.tag " + options.imageTag().orElse(""));
        line(digest, "runtime " + declarations.runtimeOnClasspath());
        for (DeclaredWorkload workload : declarations.workloads()) {
            line(digest, "record " + DeclarationRecord.fileName(workload));
            line(digest, DeclarationRecord.text(workload));
        }
        if (options.configFolder().isPresent() && Files.isDirectory(options.configFolder().get())) {
            Path config = options.configFolder().get();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(config)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                line(digest, "file " + relative(config, file) + " " + bytes.length);
                digest.update(bytes);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Why the output must be rendered again, or nothing when the last generation had this fingerprint
     * and its output is intact: every file it wrote has the content it wrote, and no other file is in
     * a folder the processor owns.
     */
    Optional<String> staleBecause(String fingerprint, Path output) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return Optional.of("no earlier generation is recorded in the class output");
        }
        List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(FORMAT)) {
            return Optional.of("the record of the last generation is not one this processor reads");
        }
        if (!lines.get(1).equals("fingerprint " + fingerprint)) {
            return Optional.of("the annotations, values files, carried files, options or processor changed");
        }
        Map<String, String> written = new TreeMap<>();
        Set<String> folders = new TreeSet<>(List.of(ArgoApplicationRenderer.FOLDER, HelmChartRenderer.FOLDER, AlertTestsRenderer.FOLDER));
        for (String line : lines.subList(2, lines.size())) {
            int space = line.indexOf(' ');
            if (space != 64) {
                return Optional.of("the record of the last generation is damaged");
            }
            String path = line.substring(space + 1);
            written.put(path, line.substring(0, space));
            int slash = path.indexOf('/');
            if (slash > 0) {
                folders.add(path.substring(0, slash));
            }
        }
        MessageDigest digest = sha256();
        for (Map.Entry<String, String> file : written.entrySet()) {
            Path path = output.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                return Optional.of(file.getKey() + " was deleted");
            }
            if (!HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path))).equals(file.getValue())) {
                return Optional.of(file.getKey() + " was changed");
            }
        }
        return otherFile(output, folders, written.keySet()).map(other -> other + " was added");
    }

    /** Records a generation without problems: its fingerprint, and each written file (path below the output folder → text). */
    void save(String fingerprint, SortedMap<String, String> written) throws IOException {
        StringBuilder text = new StringBuilder(FORMAT).append('\n').append("fingerprint ").append(fingerprint).append('\n');
        MessageDigest digest = sha256();
        for (Map.Entry<String, String> file : written.entrySet()) {
            text.append(HexFormat.of().formatHex(digest.digest(file.getValue().getBytes(StandardCharsets.UTF_8))))
                    .append(' ').append(file.getKey()).append('\n');
        }
        Files.createDirectories(stateFile.getParent());
        Path temporary = Files.createTempFile(stateFile.getParent(), ".last-generation-", ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Forgets the last generation: the next compilation renders. */
    void forget() throws IOException {
        Files.deleteIfExists(stateFile);
    }

    /**
     * A file in the processor's folders other than the written ones, or another generated environment
     * folder (one with a generated kustomization.yaml, which a generation would remove).
     */
    private static Optional<String> otherFile(Path output, Set<String> folders, Set<String> written) throws IOException {
        for (String folder : folders) {
            if (!Files.isDirectory(output.resolve(folder))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(output.resolve(folder))) {
                Optional<String> other = walk.filter(Files::isRegularFile).map(file -> relative(output, file)).filter(file -> !written.contains(file))
                        .sorted().findFirst();
                if (other.isPresent()) {
                    return other;
                }
            }
        }
        try (Stream<Path> top = Files.list(output)) {
            for (Path folder : top.filter(Files::isDirectory).sorted().toList()) {
                Path kustomization = folder.resolve("kustomization.yaml");
                if (!folders.contains(folder.getFileName().toString()) && Files.isRegularFile(kustomization)
                        && Files.readString(kustomization, StandardCharsets.UTF_8).startsWith(ManifestFolderWriter.GENERATED_MARK)) {
                    return Optional.of(relative(output, folder) + "/");
                }
            }
        }
        return Optional.empty();
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

    private static void line(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
