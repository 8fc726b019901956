package app.growbin.processor;

import java.util.List;

/**
 * A file the processor generates into the class output or the generated sources through the Filer:
 * a Java source (the catalog, a task client) or a resource (the catalog's ServiceLoader entry). The
 * last generation keeps them, so that a compilation whose inputs have not changed writes them again
 * without building the catalog or loading JavaPoet.
 *
 * @param kind a source (compiled by javac in the next round) or a resource
 * @param name the qualified type name of a source, the path below the class output of a resource
 * @param origins the classes it is made from (qualified names), its originating elements
 * @param text its content
 */
record GeneratedFile(Kind kind, String name, List<String> origins, String text) {

    enum Kind { SOURCE, RESOURCE }

    GeneratedFile {
        origins = List.copyOf(origins);
    }

    /** Where javac writes the class of a source, below the class output folder. */
    String classFile() {
        return name.replace('.', '/') + ".class";
    }
}
