package app.growbin.processor.settings;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/** Setting values as text, written so that YAML, JSON and Go templates read back exactly the value that was meant. */
public final class ScalarText {

    /** YAML 1.1 and 1.2 words that a plain scalar would turn into a boolean or null. */
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    private ScalarText() {}

    /** Plain when that reads back as the same string, double-quoted otherwise. */
    public static String plainOrQuoted(String text) {
        if (isPlain(text) && (text.length() > 5 || !RESERVED.contains(text.toLowerCase(Locale.ROOT)))) {
            return text;
        }
        return quoted(text);
    }

    /** {@code [A-Za-z_/][A-Za-z0-9_./-]*}, tested by hand: this runs for every scalar of every chart template. */
    static boolean isPlain(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean letter = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '/';
            if (!letter && (i == 0 || !(c >= '0' && c <= '9' || c == '.' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    /** A double-quoted string: valid YAML, JSON and a Go string literal. */
    public static String quoted(String text) {
        if (!needsEscapes(text)) {
            return "\"" + text + "\"";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean needsEscapes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A setting's value as text: numbers as Go prints them ({@code 0.05}, {@code 1}, not {@code 1.0}). */
    public static String of(Object value) {
        return value instanceof Double number ? number(number) : String.valueOf(value);
    }

    /** {@code 0.05}, {@code 1}: as Go and the alert rules print a number. */
    public static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
