package app.growbin.processor.read;

/**
 * Writes a declaration record's JSON, laid out as Jackson's default pretty printer lays it out (so
 * records keep their bytes): objects one field per line, indented two spaces per level, {@code " : "}
 * between name and value; arrays on one line, {@code [ a, b ]}; empty ones {@code { }} and
 * {@code [ ]}; strings with JSON's escapes, other control characters as six-character escapes
 * (backslash, u, four hex digits). A compilation whose inputs have not changed writes records and
 * nothing else, and this keeps the JSON library out of it. Only what records use: no floating-point
 * numbers, no nulls.
 */
final class RecordJson {


    private final StringBuilder text = new StringBuilder(1024);
    /** Per open container: whether it is an object, and whether it has a value yet. */
    private final boolean[] object = new boolean[32];
    private final boolean[] filled = new boolean[32];
    private int depth = -1;
    private int objects;
    /** A field name was written; its value comes next. */
    private boolean afterName;

    void writeStartObject() {
        beforeValue();
        text.append('{');
        open(true);
        objects++;
    }

    void writeEndObject() {
        objects--;
        if (filled[depth]) {
            newline(objects);
        } else {
            text.append(' ');
        }
        text.append('}');
        depth--;
    }

    void writeStartArray() {
        beforeValue();
        text.append('[');
        open(false);
    }

    void writeEndArray() {
        text.append(" ]");
        depth--;
    }

    void writeFieldName(String name) {
        if (filled[depth]) {
            text.append(',');
        }
        filled[depth] = true;
        newline(objects);
        string(name);
        text.append(" : ");
        afterName = true;
    }

    void writeString(String value) {
        beforeValue();
        string(value);
    }

    void writeNumber(long value) {
        beforeValue();
        text.append(value);
    }

    void writeBoolean(boolean value) {
        beforeValue();
        text.append(value);
    }

    void writeStringField(String name, String value) {
        writeFieldName(name);
        writeString(value);
    }

    void writeNumberField(String name, long value) {
        writeFieldName(name);
        writeNumber(value);
    }

    void writeBooleanField(String name, boolean value) {
        writeFieldName(name);
        writeBoolean(value);
    }

    void writeObjectFieldStart(String name) {
        writeFieldName(name);
        writeStartObject();
    }

    void writeArrayFieldStart(String name) {
        writeFieldName(name);
        writeStartArray();
    }

    String text() {
        return text.toString();
    }

    private void open(boolean isObject) {
        depth++;
        object[depth] = isObject;
        filled[depth] = false;
    }

    /** A value in an array is preceded by {@code " "} or {@code ", "}; one after a field name by nothing more. */
    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth >= 0 && !object[depth]) {
            text.append(filled[depth] ? ", " : " ");
            filled[depth] = true;
        }
    }

    private void newline(int indent) {
        text.append('\n');
        for (int i = 0; i < indent; i++) {
            text.append("  ");
        }
    }

    private void string(String value) {
        JsonStrings.append(text, value);
    }
}
