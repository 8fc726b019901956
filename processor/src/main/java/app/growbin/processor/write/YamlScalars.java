package app.growbin.processor.write;

/**
 * The style of one scalar of a block-style YAML document, decided as Jackson's {@code YAMLGenerator}
 * 2.20 and SnakeYAML 2.4's {@code Emitter} decide it with the features {@link YamlText} has always
 * used ({@code MINIMIZE_QUOTES}, {@code ALWAYS_QUOTE_NUMBERS_AS_STRINGS}, {@code LITERAL_BLOCK_STYLE},
 * no line splitting, unicode allowed).
 *
 * <p>First the style Jackson asks for: for a key, double quotes when it is empty, a YAML 1.1 boolean
 * or null word, starts like a number or holds a control character, else plain; for a string value,
 * double quotes when empty, a literal block when it holds a line feed, double quotes when it is a
 * boolean or null word, looks like a plain number ({@code [+-]?[0-9]*(\.[0-9]*)?}) or holds a flow
 * indicator ({@code [ ] { } ,}), a {@code #} that starts a comment or a {@code :} that ends a key,
 * else plain; numbers and booleans plain. Then SnakeYAML's analysis of the text
 * ({@code analyzeScalar}) and its choice ({@code chooseScalarStyle}): a plain scalar the analysis
 * forbids becomes single-quoted, or double-quoted when single quotes cannot hold it either; a
 * literal block it forbids becomes double-quoted. {@code YamlWriterTest} holds this to Jackson.
 */
final class YamlScalars {

    /** How a scalar is written. */
    enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL }

    /** SnakeYAML's {@code maxSimpleKeyLength}: a longer key is written as {@code ? key}. */
    private static final int MAX_SIMPLE_KEY_LENGTH = 128;

    private YamlScalars() {}

    /** The style Jackson asks for a mapping key ({@code _writeFieldName}, {@code StringQuotingChecker.Default.needToQuoteName}). */
    static Style requestedForKey(String name) {
        if (name.isEmpty() || isReservedWord(name) || startsLikeNumber(name) || hasControlCharacter(name)) {
            return Style.DOUBLE_QUOTED;
        }
        return Style.PLAIN;
    }

    /** The style Jackson asks for a string value ({@code writeString} with the features above). */
    static Style requestedForString(String text) {
        if (text.isEmpty()) {
            return Style.DOUBLE_QUOTED;
        }
        if (text.indexOf('\n') >= 0) {
            return Style.LITERAL;
        }
        if (isReservedWord(text) || hasQuotableCharacter(text) || isPlainNumber(text)) {
            return Style.DOUBLE_QUOTED;
        }
        return Style.PLAIN;
    }

    /** Whether a key is written as a simple key ({@code key: value}) rather than as {@code ? key}: SnakeYAML's {@code checkSimpleKey}. */
    static boolean isSimpleKey(String key) {
        return key.length() < MAX_SIMPLE_KEY_LENGTH && !key.isEmpty() && !hasLineBreak(key);
    }

    /** The style SnakeYAML writes in ({@code chooseScalarStyle}, outside any flow collection). */
    static Style chosen(String text, Style requested, boolean simpleKey) {
        if (requested == Style.DOUBLE_QUOTED) {
            return Style.DOUBLE_QUOTED;
        }
        Analysis analysis = new Analysis(text);
        if (requested == Style.PLAIN && !(simpleKey && (analysis.empty || analysis.lineBreaks)) && analysis.allowBlockPlain) {
            return Style.PLAIN;
        }
        if (requested == Style.LITERAL && !simpleKey && analysis.allowBlock) {
            return Style.LITERAL;
        }
        if (requested == Style.PLAIN && analysis.allowSingleQuoted && !(simpleKey && analysis.lineBreaks)) {
            return Style.SINGLE_QUOTED;
        }
        return Style.DOUBLE_QUOTED;
    }

    // ---- Jackson: StringQuotingChecker.Default and YAMLGenerator.PLAIN_NUMBER_P ----------------------

    private static boolean isReservedWord(String text) {
        switch (text.charAt(0)) {
            case '~':
                return true;
            case 'f', 'n', 'o', 't', 'y', 'F', 'N', 'O', 'T', 'Y':
                return switch (text) {
                    case "false", "False", "FALSE", "n", "N", "no", "No", "NO", "null", "Null", "NULL",
                         "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "y", "Y",
                         "yes", "Yes", "YES" -> true;
                    default -> false;
                };
            default:
                return false;
        }
    }

    private static boolean startsLikeNumber(String name) {
        char first = name.charAt(0);
        return (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.';
    }

    private static boolean hasControlCharacter(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasQuotableCharacter(String text) {
        int end = text.length();
        for (int i = 0; i < end; i++) {
            switch (text.charAt(i)) {
                case '[', ']', '{', '}', ',':
                    return true;
                case '#':
                    if (i == 0 || isBlank(text.charAt(i - 1))) {
                        return true;
                    }
                    break;
                case ':':
                    if (i == end - 1 || isBlank(text.charAt(i + 1))) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code [+-]?[0-9]*(\.[0-9]*)?}, the whole text. */
    static boolean isPlainNumber(String text) {
        int i = 0;
        int end = text.length();
        if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        if (i < end && text.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
        }
        return i == end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- SnakeYAML: Constant and Emitter.analyzeScalar ---------------------------------------------

    /** SnakeYAML's {@code Constant.LINEBR}. */
    static boolean isLineBreak(int c) {
        return c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isLineBreak(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code Constant.NULL_BL_T}. */
    private static boolean isNullBlankOrTab(int c) {
        return c == 0 || c == ' ' || c == '\t';
    }

    /** {@code Constant.NULL_BL_T_LINEBR}. */
    private static boolean isNullBlankTabOrBreak(int c) {
        return isNullBlankOrTab(c) || c == '\r' || isLineBreak(c);
    }

    private static boolean hasLeadingZero(String scalar) {
        if (scalar.length() > 1 && scalar.charAt(0) == '0') {
            for (int i = 1; i < scalar.length(); i++) {
                char c = scalar.charAt(i);
                if (!((c >= '0' && c <= '9') || c == '_')) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** What SnakeYAML's {@code analyzeScalar} finds in a text, as far as the block styles need it. */
    private static final class Analysis {

        final boolean empty;
        final boolean lineBreaks;
        final boolean allowBlockPlain;
        final boolean allowSingleQuoted;
        final boolean allowBlock;

        Analysis(String scalar) {
            if (scalar.isEmpty()) {
                empty = true;
                lineBreaks = false;
                allowBlockPlain = true;
                allowSingleQuoted = true;
                allowBlock = false;
                return;
            }
            empty = false;
            boolean blockIndicators = false;
            boolean anyLineBreak = false;
            boolean specialCharacters = false;
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            if (scalar.startsWith("---") || scalar.startsWith("...")) {
                blockIndicators = true;
            }
            boolean precededByWhitespace = true;
            boolean followedByWhitespace = scalar.length() == 1 || isNullBlankTabOrBreak(scalar.codePointAt(1));
            boolean previousSpace = false;
            boolean previousBreak = false;
            int index = 0;
            while (index < scalar.length()) {
                int c = scalar.codePointAt(index);
                if (index == 0) {
                    if ("#,[]{}&*!|>'\"%@`".indexOf(c) != -1) {
                        blockIndicators = true;
                    }
                    if ((c == '?' || c == ':') && followedByWhitespace) {
                        blockIndicators = true;
                    }
                    if (c == '-' && followedByWhitespace) {
                        blockIndicators = true;
                    }
                } else {
                    if (c == ':' && followedByWhitespace) {
                        blockIndicators = true;
                    }
                    if (c == '#' && precededByWhitespace) {
                        blockIndicators = true;
                    }
                }
                boolean isLineBreak = isLineBreak(c);
                if (isLineBreak) {
                    anyLineBreak = true;
                }
                if (!(c == '\n' || (0x20 <= c && c <= 0x7E))) {
                    boolean unicode = c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                            || (c >= 0x10000 && c <= 0x10FFFF);
                    if (!unicode) {
                        specialCharacters = true;
                    }
                }
                if (c == ' ') {
                    if (index == 0) {
                        leadingSpace = true;
                    }
                    if (index == scalar.length() - 1) {
                        trailingSpace = true;
                    }
                    if (previousBreak) {
                        breakSpace = true;
                    }
                    previousSpace = true;
                    previousBreak = false;
                } else if (isLineBreak) {
                    if (index == 0) {
                        leadingBreak = true;
                    }
                    if (index == scalar.length() - 1) {
                        trailingBreak = true;
                    }
                    if (previousSpace) {
                        spaceBreak = true;
                    }
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                index += Character.charCount(c);
                precededByWhitespace = isNullBlankOrTab(c) || isLineBreak;
                followedByWhitespace = true;
                if (index + 1 < scalar.length()) {
                    int nextIndex = index + Character.charCount(scalar.codePointAt(index));
                    if (nextIndex < scalar.length()) {
                        followedByWhitespace = isNullBlankOrTab(scalar.codePointAt(nextIndex)) || isLineBreak;
                    }
                }
            }
            boolean blockPlain = true;
            boolean singleQuoted = true;
            boolean block = true;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak || hasLeadingZero(scalar)) {
                blockPlain = false;
            }
            if (trailingSpace) {
                block = false;
            }
            if (breakSpace) {
                blockPlain = false;
                singleQuoted = false;
            }
            if (spaceBreak || specialCharacters) {
                blockPlain = false;
                singleQuoted = false;
                block = false;
            }
            if (blockIndicators) {
                blockPlain = false;
            }
            lineBreaks = anyLineBreak;
            allowBlockPlain = blockPlain;
            allowSingleQuoted = singleQuoted;
            allowBlock = block;
        }
    }
}
