package app.growbin.processor.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a declaration record's JSON back: objects (as insertion-ordered maps; a repeated name keeps
 * its last value), arrays, strings with JSON's escapes (the six-character one too, backslash, u and
 * four hex digits, so that an escaped surrogate pair gives back its character), integers that fit an {@code int}, {@code true} and
 * {@code false}, with JSON's whitespace around them. Anything else (a fraction or exponent, a leading
 * zero, {@code null}, a comment, a trailing comma, an unescaped control character, text after the
 * value) is an {@link IllegalArgumentException} naming what and where, which the caller reports as an
 * unreadable record. Only what {@link RecordJson} writes, so that reading records loads no JSON
 * library.
 */
final class RecordJsonParser {

    private final String text;
    private int position;

    private RecordJsonParser(String text) {
        this.text = text;
    }

    /**
     * The value the text holds: a {@code Map<String, Object>}, {@code List<Object>}, {@code String},
     * {@code Integer} or {@code Boolean}.
     *
     * @throws IllegalArgumentException when the text is not one such JSON value
     */
    static Object parse(String text) {
        RecordJsonParser parser = new RecordJsonParser(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position < text.length()) {
            throw parser.error("text after the value");
        }
        return value;
    }

    private Object value() {
        if (position >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(position);
        if (c == '{') {
            return object();
        } else if (c == '[') {
            return array();
        } else if (c == '"') {
            return string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        } else if (text.startsWith("true", position)) {
            position += 4;
            return Boolean.TRUE;
        } else if (text.startsWith("false", position)) {
            position += 5;
            return Boolean.FALSE;
        }
        throw error("not a value a record holds");
    }

    private Map<String, Object> object() {
        position++;
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (next() == '}') {
            position++;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (next() != '"') {
                throw error("a field name should be here");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            object.put(name, value());
            skipWhitespace();
            char c = next();
            position++;
            if (c == '}') {
                return object;
            }
            if (c != ',') {
                position--;
                throw error("',' or '}' should be here");
            }
        }
    }

    private List<Object> array() {
        position++;
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (next() == ']') {
            position++;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(value());
            skipWhitespace();
            char c = next();
            position++;
            if (c == ']') {
                return array;
            }
            if (c != ',') {
                position--;
                throw error("',' or ']' should be here");
            }
        }
    }

    private String string() {
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("the string does not end");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                position--;
                throw error("a control character must be escaped");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("the string does not end");
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"' -> value.append('"');
                case '\\' -> value.append('\\');
                case '/' -> value.append('/');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> value.append(hexCharacter());
                default -> {
                    position--;
                    throw error("not an escape");
                }
            }
        }
    }

    private char hexCharacter() {
        if (position + 4 > text.length()) {
            throw error("four hex digits should be here");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            code = code * 16 + hexDigit(text.charAt(position));
            position++;
        }
        return (char) code;
    }

    private int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw error("not a hex digit");
    }

    private Integer integer() {
        int start = position;
        if (text.charAt(position) == '-') {
            position++;
        }
        int digits = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        if (position == digits) {
            throw error("digits should be here");
        }
        if (text.charAt(digits) == '0' && position - digits > 1) {
            throw error("a number does not start with 0", digits);
        }
        if (position < text.length() && (text.charAt(position) == '.' || text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
            throw error("a record holds only integers");
        }
        try {
            return Integer.valueOf(text.substring(start, position));
        } catch (NumberFormatException e) {
            throw error("the integer does not fit an int", start);
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    /** The character at the position, or 0 at the end (never a valid next character). */
    private char next() {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("'" + c + "' should be here");
        }
        position++;
    }

    private IllegalArgumentException error(String what) {
        return error(what, position);
    }

    private IllegalArgumentException error(String what, int at) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("not a record's JSON: " + what + " at line " + line + ", column " + column);
    }
}
