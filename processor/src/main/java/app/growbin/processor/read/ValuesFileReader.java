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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads {@code values.yaml} and every {@code values-<env>.yaml} of the configuration folder into
 * line-aware trees. Malformed files become problems, never exceptions.
 */
public final class ValuesFileReader {

    public static final String BASE_FILE = "values.yaml";
    private static final Pattern OVERLAY_FILE = Pattern.compile("values-(.+)\\.ya?ml");

    /** The files of a configuration folder, and what was wrong with them. */
    public record Result(ValuesFile base, List<ValuesFile> overlays, List<Problem> problems) {
        public Result {
            overlays = List.copyOf(overlays);
            problems = List.copyOf(problems);
        }
    }

    public Result read(Path folder) {
        List<Problem> problems = new ArrayList<>();
        Path basePath = folder.resolve(BASE_FILE);
        if (!Files.isDirectory(folder)) {
            problems.add(new Problem(Rule.CONFIGURATION, new Site.InOption("growbin.config"),
                    "the configuration folder " + folder + " does not exist; create it with a values.yaml and one values-<env>.yaml per environment, or point -Agrowbin.config at it"));
            return new Result(new ValuesFile(basePath, null, YamlNode.Mapping.empty()), List.of(), problems);
        }
        ValuesFile base = Files.isRegularFile(basePath)
                ? parse(basePath, null, problems)
                : missingBase(folder, basePath, problems);
        List<ValuesFile> overlays = new ArrayList<>();
        for (Path overlay : overlayFiles(folder, problems)) {
            Matcher matcher = OVERLAY_FILE.matcher(overlay.getFileName().toString());
            if (matcher.matches()) {
                overlays.add(parse(overlay, matcher.group(1), problems));
            }
        }
        if (overlays.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(Rule.CONFIGURATION, new Site.InOption(BuildOptions.CONFIG),
                    "no environment is defined in " + folder + ": add one values-<env>.yaml per environment (for example values-dev.yaml) next to values.yaml; each one yields <output>/<env>/"));
        }
        return new Result(base, overlays, problems);
    }

    private static ValuesFile missingBase(Path folder, Path basePath, List<Problem> problems) {
        problems.add(new Problem(Rule.CONFIGURATION, new Site.InOption(BuildOptions.CONFIG),
                "values.yaml is missing from the configuration folder " + folder + "; it holds the application-wide settings (global.appName, global.image, ...)"));
        return new ValuesFile(basePath, null, YamlNode.Mapping.empty());
    }

    private static List<Path> overlayFiles(Path folder, List<Problem> problems) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> OVERLAY_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new Problem(Rule.CONFIGURATION, new Site.InOption("growbin.config"),
                    "cannot list the configuration folder " + folder + ": " + e.getMessage()));
            return List.of();
        }
    }

    private ValuesFile parse(Path path, String environment, List<Problem> problems) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Node root = YamlDocuments.single(reader);
            if (root == null) {
                return new ValuesFile(path, environment, YamlNode.Mapping.empty());
            }
            YamlNode tree = convert(path, root, "", problems);
            if (tree instanceof YamlNode.Mapping mapping) {
                return new ValuesFile(path, environment, mapping);
            }
            problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(path, tree.line(), ""),
                    "the file must be a mapping of keys (global:, api:, ...), not " + YamlNode.describe(tree)));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(path, line, ""),
                    "malformed YAML: " + firstLine(e.getProblem()) + "; fix the syntax at this line"));
        } catch (YAMLException | IOException e) {
            problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(path, 1, ""),
                    "cannot read the file: " + firstLine(e.getMessage())));
        }
        return new ValuesFile(path, environment, YamlNode.Mapping.empty());
    }

    static YamlNode convert(Path path, Node node, String key, List<Problem> problems) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode scalar) {
            return new YamlNode.Scalar(scalar.getValue(), scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN, line);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                items.add(convert(path, item, key + "[]", problems));
            }
            return new YamlNode.Sequence(items, line);
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            int keyLine = tuple.getKeyNode().getStartMark().getLine() + 1;
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(path, keyLine, key),
                        "keys must be plain words, not lists or mappings"));
                continue;
            }
            String name = keyNode.getValue();
            String dotted = key.isEmpty() ? name : key + "." + name;
            if (entries.containsKey(name)) {
                problems.add(new Problem(Rule.VALUES_SYNTAX, new Site.InValues(path, keyLine, dotted),
                        "duplicate key '" + dotted + "' (first at line " + entries.get(name).keyLine() + "); keep one"));
                continue;
            }
            entries.put(name, new YamlNode.Entry(name, keyLine, convert(path, tuple.getValueNode(), dotted, problems)));
        }
        return new YamlNode.Mapping(entries, line);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
