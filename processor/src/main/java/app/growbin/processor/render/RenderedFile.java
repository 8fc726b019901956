package app.growbin.processor.render;

import java.util.List;

/**
 * One manifest file: where it goes inside the environment folder, what it came from, and its
 * objects in order (fabric8 model objects, or plain maps for kinds fabric8 has no model of).
 *
 * @param path relative path with '/' separators, such as {@code api/rest/waste-deployment.yaml}
 * @param source what the file was generated from, for its header comment
 */
public record RenderedFile(String path, String source, List<Object> objects) {

    public RenderedFile {
        objects = List.copyOf(objects);
    }
}
