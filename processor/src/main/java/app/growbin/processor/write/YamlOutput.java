package app.growbin.processor.write;

/**
 * The text of one YAML document as SnakeYAML 2.4's {@code Emitter} writes it, for the calls
 * {@link YamlWriter} makes: the current column, whether the last character written was whitespace
 * or indentation, the current indent, and the four scalar writers ({@code writePlain},
 * {@code writeSingleQuoted}, {@code writeDoubleQuoted} with its escapes, {@code writeLiteral} with
 * its block hints), ported with line splitting off, unicode allowed, two spaces of indent and
 * {@code \n} as line break. {@code YamlWriterTest} holds it to Jackson and SnakeYAML.
 */
final class YamlOutput {

    /** SnakeYAML's {@code bestIndent}. */
    static final int INDENT = 2;
    /** No indent yet (SnakeYAML's {@code null}): the document's root. */
    static final int NO_INDENT = -1;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder(256);
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    /** The indent of the node being written, {@link #NO_INDENT} at the root; {@link YamlWriter} saves and restores it around each node. */
    int indent = NO_INDENT;

    String text() {
        return text.toString();
    }

    /** Whether only indentation has been written on the current line (SnakeYAML's {@code indention}). */
    boolean atIndention() {
        return indention;
    }

    /** SnakeYAML's {@code increaseIndent}, without the stack: the caller keeps the indent it replaces. */
    void increaseIndent(boolean flow, boolean indentless) {
        if (indent == NO_INDENT) {
            indent = flow ? INDENT : 0;
        } else if (!indentless) {
            indent += INDENT;
        }
    }

    void writeIndicator(String indicator, boolean needWhitespace, boolean whitespaceAfter, boolean indentation) {
        if (!whitespace && needWhitespace) {
            column++;
            text.append(' ');
        }
        whitespace = whitespaceAfter;
        indention = indention && indentation;
        column += indicator.length();
        text.append(indicator);
    }

    void writeIndent() {
        int target = indent == NO_INDENT ? 0 : indent;
        if (!indention || column > target || (column == target && !whitespace)) {
            writeLineBreak();
        }
        writeWhitespace(target - column);
    }

    void writeWhitespace(int length) {
        if (length <= 0) {
            return;
        }
        whitespace = true;
        for (int i = 0; i < length; i++) {
            text.append(' ');
        }
        column += length;
    }

    private void writeLineBreak() {
        whitespace = true;
        indention = true;
        column = 0;
        text.append('\n');
    }

    /** A line break of the text itself: {@code \n}, NEL, LS or PS, written as it is. */
    private void writeLineBreak(char lineBreak) {
        whitespace = true;
        indention = true;
        column = 0;
        text.append(lineBreak);
    }

    private void writeBreaks(String scalar, int start, int end) {
        for (int i = start; i < end; i++) {
            writeLineBreak(scalar.charAt(i));
        }
    }

    private void writeText(String scalar, int start, int end) {
        column += end - start;
        text.append(scalar, start, end);
    }

    // ---- scalars ------------------------------------------------------------------------------------

    void writePlain(String scalar) {
        if (scalar.isEmpty()) {
            return;
        }
        if (!whitespace) {
            column++;
            text.append(' ');
        }
        whitespace = false;
        indention = false;
        boolean spaces = false;
        boolean breaks = false;
        int start = 0;
        int end = 0;
        while (end <= scalar.length()) {
            char c = end < scalar.length() ? scalar.charAt(end) : 0;
            if (spaces) {
                if (c != ' ') {
                    writeText(scalar, start, end);
                    start = end;
                }
            } else if (breaks) {
                if (!YamlScalars.isLineBreak(c)) {
                    if (scalar.charAt(start) == '\n') {
                        writeLineBreak();
                    }
                    writeBreaks(scalar, start, end);
                    writeIndent();
                    whitespace = false;
                    indention = false;
                    start = end;
                }
            } else if (YamlScalars.isLineBreak(c) || c == 0 || c == ' ') {
                writeText(scalar, start, end);
                start = end;
            }
            if (c != 0) {
                spaces = c == ' ';
                breaks = YamlScalars.isLineBreak(c);
            }
            end++;
        }
    }

    void writeSingleQuoted(String scalar) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        int start = 0;
        int end = 0;
        while (end <= scalar.length()) {
            char c = end < scalar.length() ? scalar.charAt(end) : 0;
            if (spaces) {
                if (c == 0 || c != ' ') {
                    writeText(scalar, start, end);
                    start = end;
                }
            } else if (breaks) {
                if (c == 0 || !YamlScalars.isLineBreak(c)) {
                    if (scalar.charAt(start) == '\n') {
                        writeLineBreak();
                    }
                    writeBreaks(scalar, start, end);
                    writeIndent();
                    start = end;
                }
            } else if (YamlScalars.isLineBreak(c) || c == 0 || c == ' ' || c == '\'') {
                if (start < end) {
                    writeText(scalar, start, end);
                    start = end;
                }
            }
            if (c == '\'') {
                column += 2;
                text.append("''");
                start = end + 1;
            }
            if (c != 0) {
                spaces = c == ' ';
                breaks = YamlScalars.isLineBreak(c);
            }
            end++;
        }
        writeIndicator("'", false, false, false);
    }

    void writeDoubleQuoted(String scalar) {
        writeIndicator("\"", true, false, false);
        int start = 0;
        int end = 0;
        while (end <= scalar.length()) {
            boolean atEnd = end == scalar.length();
            char c = atEnd ? 0 : scalar.charAt(end);
            if (atEnd || c == '"' || c == '\\' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
                    || !(c >= 0x20 && c <= 0x7E)) {
                if (start < end) {
                    writeText(scalar, start, end);
                    start = end;
                }
                if (!atEnd) {
                    String escape = escape(c);
                    if (escape != null) {
                        column += escape.length();
                        text.append(escape);
                    } else {
                        int codePoint = Character.isHighSurrogate(c) && end + 1 < scalar.length()
                                ? Character.toCodePoint(c, scalar.charAt(end + 1))
                                : c;
                        int before = text.length();
                        if (isPrintable(codePoint)) {
                            text.appendCodePoint(codePoint);
                            if (Character.charCount(codePoint) == 2) {
                                end++;
                            }
                        } else if (c <= '\u00FF') {
                            text.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                        } else if (Character.charCount(codePoint) == 2) {
                            end++;
                            text.append("\\U");
                            hex(codePoint, 8);
                        } else {
                            text.append("\\u");
                            hex(c, 4);
                        }
                        column += text.length() - before;
                    }
                    start = end + 1;
                }
            }
            end++;
        }
        writeIndicator("\"", false, false, false);
    }

    private void hex(int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            text.append(HEX[(value >>> shift) & 0xF]);
        }
    }

    /** SnakeYAML's {@code ESCAPE_REPLACEMENTS}, or null. */
    private static String escape(char c) {
        return switch (c) {
            case '\0' -> "\\0";
            case '\u0007' -> "\\a";
            case '\b' -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\u000B' -> "\\v";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            case '\u001B' -> "\\e";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\u0085' -> "\\N";
            case '\u00A0' -> "\\_";
            case '\u2028' -> "\\L";
            case '\u2029' -> "\\P";
            default -> null;
        };
    }

    /** SnakeYAML's {@code StreamReader.isPrintable}. */
    private static boolean isPrintable(int c) {
        return (c >= 0x20 && c <= 0x7E) || c == 0x9 || c == 0xA || c == 0xD || c == 0x85
                || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    void writeLiteral(String scalar) {
        writeIndicator("|" + blockHints(scalar), true, false, false);
        writeLineBreak();
        boolean breaks = true;
        int start = 0;
        int end = 0;
        while (end <= scalar.length()) {
            char c = end < scalar.length() ? scalar.charAt(end) : 0;
            if (breaks) {
                if (c == 0 || !YamlScalars.isLineBreak(c)) {
                    writeBreaks(scalar, start, end);
                    if (c != 0) {
                        writeIndent();
                    }
                    start = end;
                }
            } else if (c == 0 || YamlScalars.isLineBreak(c)) {
                // as SnakeYAML does, a literal line's text does not move the column
                text.append(scalar, start, end);
                if (c == 0) {
                    writeLineBreak();
                }
                start = end;
            }
            if (c != 0) {
                breaks = YamlScalars.isLineBreak(c);
            }
            end++;
        }
    }

    /** SnakeYAML's {@code determineBlockHints}: an explicit indent when the text starts with a space or break, and the chomping. */
    private static String blockHints(String scalar) {
        StringBuilder hints = new StringBuilder(2);
        char first = scalar.charAt(0);
        if (YamlScalars.isLineBreak(first) || first == ' ') {
            hints.append(INDENT);
        }
        char last = scalar.charAt(scalar.length() - 1);
        if (!YamlScalars.isLineBreak(last)) {
            hints.append('-');
        } else if (scalar.length() == 1 || YamlScalars.isLineBreak(scalar.charAt(scalar.length() - 2))) {
            hints.append('+');
        }
        return hints.toString();
    }
}
