package app.growbin.processor.read;

import java.util.Optional;
import java.util.regex.Pattern;

/** Parses scalar text of a values file the way YAML 1.1 tools (kubectl, Helm) would read it. */
public final class ScalarParser {

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private ScalarParser() {}

    public static Optional<Integer> integer(String text) {
        if (!INTEGER.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    public static Optional<Double> number(String text) {
        return NUMBER.matcher(text).matches() ? Optional.of(Double.parseDouble(text)) : Optional.empty();
    }

    public static Optional<Boolean> bool(String text) {
        return switch (text) {
            case "true", "True", "TRUE" -> Optional.of(true);
            case "false", "False", "FALSE" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
