package app.growbin.processor.read;

import app.growbin.processor.problem.Problem;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.site.Site;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads each environment's own files, {@code <config>/<env>/patches/} and {@code <config>/<env>/resources/}
 * ({@code .yaml} or {@code .yml}, in sub-folders too). A folder of the configuration folder that no
 * {@code values-<env>.yaml} defines, anything else in an environment's folder, and malformed YAML
 * are problems, never exceptions.
 */
public final class CarriedFilesReader {

    /** Each environment's files, sorted by path (environments without any have an empty list), and what was wrong. */
    public record Result(Map<String, List<CarriedFile>> files, List<Problem> problems) {
        public Result {
            Map<String, List<CarriedFile>> copy = new LinkedHashMap<>();
            files.forEach((environment, list) -> copy.put(environment, List.copyOf(list)));
            files = java.util.Collections.unmodifiableMap(copy);
            problems = List.copyOf(problems);
        }

        public List<CarriedFile> of(String environment) {
            return files.getOrDefault(environment, List.of());
        }
    }

    public Result read(Path configFolder, Collection<String> environments) {
        Map<String, List<CarriedFile>> files = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        environments.forEach(environment -> files.put(environment, new ArrayList<>()));
        if (!Files.isDirectory(configFolder)) {
            return new Result(files, problems);
        }
        for (Path folder : list(configFolder, problems)) {
            if (!Files.isDirectory(folder) || folder.getFileName().toString().startsWith(".")) {
                continue;
            }
            String environment = folder.getFileName().toString();
            if (!environments.contains(environment)) {
                problems.add(new Problem(Rule.CARRIED_FILE, new Site.InOption(BuildOptions.CONFIG), "the folder " + environment
                        + "/ of the configuration folder belongs to no environment: there is no values-" + environment
                        + ".yaml; rename it after an environment, or add that values file"));
                continue;
            }
            for (Path entry : list(folder, problems)) {
                String name = entry.getFileName().toString();
                CarriedFile.Kind kind = Arrays.stream(CarriedFile.Kind.values()).filter(k -> k.folder().equals(name)).findFirst().orElse(null);
                if (kind == null || !Files.isDirectory(entry)) {
                    problems.add(new Problem(Rule.CARRIED_FILE, new Site.InOption(BuildOptions.CONFIG), environment + "/" + name
                            + " is not read: an environment's folder holds only patches/ (strategic-merge or JSON 6902 patches) and resources/ "
                            + "(objects added as they are)"));
                    continue;
                }
                for (Path file : walk(entry, problems)) {
                    String relative = kind.folder() + "/" + entry.relativize(file).toString().replace('\\', '/');
                    String fileName = file.getFileName().toString();
                    if (!fileName.endsWith(".yaml") && !fileName.endsWith(".yml")) {
                        problems.add(new Problem(Rule.CARRIED_FILE, new Site.InValues(file, 1, ""), environment + "/" + relative
                                + " is not a .yaml or .yml file; write patches and resources as YAML (JSON is YAML too)"));
                        continue;
                    }
                    parse(kind, file, relative, problems).ifPresent(files.get(environment)::add);
                }
            }
        }
        files.values().forEach(list -> list.sort(java.util.Comparator.comparing(CarriedFile::path)));
        return new Result(files, problems);
    }

    private static java.util.Optional<CarriedFile> parse(CarriedFile.Kind kind, Path file, String relative, List<Problem> problems) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<YamlNode> documents = new ArrayList<>();
            try (Reader reader = new java.io.StringReader(text)) {
                for (Node document : YamlDocuments.all(reader)) {
                    if (document != null) {
                        documents.add(ValuesFileReader.convert(file, document, "", problems));
                    }
                }
            }
            return java.util.Optional.of(new CarriedFile(kind, file, relative, text, documents));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(file, line, ""), "malformed YAML: "
                    + firstLine(e.getProblem()) + "; fix the syntax at this line"));
        } catch (YAMLException | IOException e) {
            problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(file, 1, ""), "cannot read the file: " + firstLine(e.getMessage())));
        }
        return java.util.Optional.empty();
    }

    private static List<Path> list(Path folder, List<Problem> problems) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(Rule.CONFIGURATION, new Site.InValues(folder, 1, ""), "cannot list " + folder + ": " + e.getMessage()));
            return List.of();
        }
    }

    private static List<Path> walk(Path folder, List<Problem> problems) {
        try (Stream<Path> entries = Files.walk(folder)) {
            return entries.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(Rule.CONFIGURATION, new Site.InValues(folder, 1, ""), "cannot list " + folder + ": " + e.getMessage()));
            return List.of();
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
