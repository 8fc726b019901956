package app.growbin.processor.write;

import app.growbin.processor.render.Headers;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;

/**
 * An environment's manifest as YAML, the same way every time: the tree's order (keys sorted, a
 * resource's apiVersion, kind and metadata first), no document start marker, strings that read as
 * numbers, booleans or null quoted, multi-line strings as literal blocks, no line folding, and a
 * header comment naming the source. Each document is written by {@link YamlWriter}, which gives the
 * bytes Jackson's streaming YAML generator gave (a property test holds it to Jackson), without
 * loading a YAML library.
 */
public final class YamlText {

    /** The file's text: the header, then each object as its own YAML document. */
    public String render(Manifest manifest) {
        StringBuilder text = new StringBuilder(Headers.yaml(manifest.source())).append(Headers.notes(manifest.notes()));
        boolean first = true;
        for (Node document : manifest.documents()) {
            if (!first) {
                text.append("---\n");
            }
            text.append(YamlWriter.document(document));
            first = false;
        }
        return text.toString();
    }
}
