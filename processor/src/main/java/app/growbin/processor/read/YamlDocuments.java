package app.growbin.processor.read;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text composed into snakeyaml's node trees, the way {@code Yaml.compose} and
 * {@code Yaml.composeAll} do it, without the {@code Yaml} facade: that one also builds a constructor, a
 * representer and dumper options (and with them java.util.logging), which composing never uses and a
 * compilation in a fresh JVM pays for in class loading. Duplicate keys are refused.
 */
final class YamlDocuments {

    private YamlDocuments() {}

    /** The one document of the text, or null when it has none; an error when it has more than one. */
    static Node single(Reader text) {
        return composer(text).getSingleNode();
    }

    /** Every document of the text, in order. */
    static List<Node> all(Reader text) {
        Composer composer = composer(text);
        List<Node> documents = new ArrayList<>();
        while (composer.checkNode()) {
            documents.add(composer.getNode());
        }
        return documents;
    }

    private static Composer composer(Reader text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options);
    }
}
