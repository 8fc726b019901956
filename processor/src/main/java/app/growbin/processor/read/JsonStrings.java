package app.growbin.processor.read;

/**
 * A JSON string as Jackson's generator writes it (so the files written without Jackson keep the bytes
 * Jackson gave them): the two-character escapes JSON defines, other control characters as
 * a backslash, u, 00 and two upper-case hex digits, everything else as it is. Shared by the declaration
 * records ({@link RecordJson}) and the chart's values schema.
 */
public final class JsonStrings {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonStrings() {}

    /** Appends {@code value} quoted and escaped. */
    public static void append(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\t' -> text.append("\\t");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> {
                    if (c < 0x20) {
                        text.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
