package app.growbin.processor.read;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A file of {@code <config>/<env>/patches/} or {@code <config>/<env>/resources/}, carried as it is into
 * {@code <output>/<env>/} and listed in its {@code kustomization.yaml}.
 *
 * @param source the file as written, for messages
 * @param path where it goes below {@code <output>/<env>/}, '/'-separated: {@code patches/...} or {@code resources/...}
 * @param text its content
 * @param documents its YAML documents, empty ones left out
 */
public record CarriedFile(Kind kind, Path source, String path, String text, List<YamlNode> documents) {

    /** The two folders of an environment's own files. */
    public enum Kind {
        /** A strategic-merge patch (one object's fields) or a JSON 6902 patch (a list of operations). */
        PATCH("patches"),
        /** Objects added as they are. */
        RESOURCE("resources");

        private final String folder;

        Kind(String folder) {
            this.folder = folder;
        }

        public String folder() {
            return folder;
        }
    }

    public CarriedFile {
        documents = List.copyOf(documents);
    }

    /** An object a resource declares or a patch targets; {@code apiVersion} is null for a JSON 6902 patch, whose file name gives only kind and name. */
    public record ObjectRef(String apiVersion, String kind, String name) {
        @Override
        public String toString() {
            return kind + "/" + name + (apiVersion == null ? "" : " (" + apiVersion + ")");
        }
    }

    /** Whether this patch is a JSON 6902 one: a list of operations. */
    public boolean isJsonPatch() {
        return kind == Kind.PATCH && documents.size() == 1 && documents.get(0) instanceof YamlNode.Sequence;
    }

    /**
     * The object a patch changes: a strategic-merge patch's own apiVersion, kind and metadata.name; a
     * JSON 6902 patch's file name, {@code <Kind>.<name>.yaml}. Empty when they are missing (the validator says so).
     */
    public Optional<ObjectRef> patchTarget() {
        if (kind != Kind.PATCH || documents.size() != 1) {
            return Optional.empty();
        }
        if (isJsonPatch()) {
            String base = fileName().substring(0, fileName().lastIndexOf('.'));
            int dot = base.indexOf('.');
            return dot <= 0 || dot == base.length() - 1 ? Optional.empty()
                    : Optional.of(new ObjectRef(null, base.substring(0, dot), base.substring(dot + 1)));
        }
        return objectRef(documents.get(0));
    }

    /** The object a document declares (apiVersion, kind and metadata.name, all strings), if it does. */
    public static Optional<ObjectRef> objectRef(YamlNode document) {
        if (!(document instanceof YamlNode.Mapping mapping)) {
            return Optional.empty();
        }
        Optional<String> apiVersion = text(mapping, "apiVersion");
        Optional<String> kind = text(mapping, "kind");
        Optional<String> name = mapping.get("metadata").map(YamlNode.Entry::value)
                .filter(YamlNode.Mapping.class::isInstance).map(YamlNode.Mapping.class::cast).flatMap(metadata -> text(metadata, "name"));
        return apiVersion.isPresent() && kind.isPresent() && name.isPresent()
                ? Optional.of(new ObjectRef(apiVersion.get(), kind.get(), name.get()))
                : Optional.empty();
    }

    private static Optional<String> text(YamlNode.Mapping mapping, String key) {
        return mapping.get(key).map(YamlNode.Entry::value).filter(YamlNode.Scalar.class::isInstance).map(YamlNode.Scalar.class::cast)
                .filter(scalar -> !scalar.isNull() && !scalar.text().isEmpty()).map(YamlNode.Scalar::text);
    }

    /** The file's name, such as {@code Deployment.shop-api-rest-shop.yaml}. */
    public String fileName() {
        return source.getFileName().toString();
    }

    /** {@code <env>/patches/...}: how messages name the file. */
    public String displayName(String environment) {
        return environment + "/" + path;
    }
}
