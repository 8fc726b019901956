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
 * <p>The state file lives in the class output ({@link #FILE}), beside the declaration records: a
 * clean build ({@code mvn clean}, an IDE rebuild) removes it and renders again. It is written only
 * after a generation without any problem, so that a skipped compilation never hides a warning.
 */
final class LastGeneration {

    static final String FILE = "META-INF/growbin/last-generation.txt";
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
     * Whether the last generation had this fingerprint and its output is intact: every file it wrote
     * has the content it wrote, and no other file is in a folder the processor owns.
     */
    boolean upToDate(String fingerprint, Path output) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(FORMAT) || !lines.get(1).equals("fingerprint " + fingerprint)) {
            return false;
        }
        Map<String, String> written = new TreeMap<>();
        Set<String> folders = new TreeSet<>(List.of(ArgoApplicationRenderer.FOLDER, HelmChartRenderer.FOLDER, AlertTestsRenderer.FOLDER));
        for (String line : lines.subList(2, lines.size())) {
            int space = line.indexOf(' ');
            if (space != 64) {
                return false;
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
            if (!Files.isRegularFile(path) || !HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path))).equals(file.getValue())) {
                return false;
            }
        }
        return onlyThoseFiles(output, folders, written.keySet());
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
     * No file in the processor's folders but the written ones, and no other generated environment
     * folder (one with a generated kustomization.yaml, which a generation would remove).
     */
    private static boolean onlyThoseFiles(Path output, Set<String> folders, Set<String> written) throws IOException {
        for (String folder : folders) {
            if (!Files.isDirectory(output.resolve(folder))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(output.resolve(folder))) {
                if (walk.filter(Files::isRegularFile).anyMatch(file -> !written.contains(relative(output, file)))) {
                    return false;
                }
            }
        }
        try (Stream<Path> top = Files.list(output)) {
            for (Path folder : top.filter(Files::isDirectory).toList()) {
                Path kustomization = folder.resolve("kustomization.yaml");
                if (!folders.contains(folder.getFileName().toString()) && Files.isRegularFile(kustomization)
                        && Files.readString(kustomization, StandardCharsets.UTF_8).startsWith(ManifestFolderWriter.GENERATED_MARK)) {
                    return false;
                }
            }
        }
        return true;
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
