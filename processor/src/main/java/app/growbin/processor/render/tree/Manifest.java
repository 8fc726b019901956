package app.growbin.processor.render.tree;

import java.util.List;

/**
 * One manifest file: where it goes inside the environment folder (or the chart's {@code templates/}),
 * what it came from, and its objects in order (absent ones already left out).
 *
 * @param path relative path with '/' separators, such as {@code api/rest/waste-deployment.yaml}
 * @param source what the file was generated from, for its header comment
 * @param notes further lines of the header comment, after the standard ones (such as where a carried part came from)
 */
public record Manifest(String path, String source, List<String> notes, List<Node> documents) {

    public Manifest {
        notes = List.copyOf(notes);
        documents = documents.stream().filter(d -> !(d instanceof Node.Absent)).toList();
    }

    /** A file whose header says only what it was generated from. */
    public Manifest(String path, String source, List<Node> documents) {
        this(path, source, List.of(), documents);
    }

    /** A file whose every object is known to be absent is not written. */
    public boolean isEmpty() {
        return documents.isEmpty();
    }
}
