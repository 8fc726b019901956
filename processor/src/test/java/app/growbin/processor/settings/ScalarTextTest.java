package app.growbin.processor.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written plain-scalar test agrees with the pattern it stands for, on every short string of a telling alphabet. */
class ScalarTextTest {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");

    @Test
    void isPlainIsThePattern() {
        String alphabet = "aZ_/09.-: \"'#{}é\n";
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(6);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            assertEquals(PLAIN.matcher(s).matches(), ScalarText.isPlain(s), s);
        }
    }

    @Test
    void reservedWordsAndOddTextAreQuoted() {
        assertEquals("\"yes\"", ScalarText.plainOrQuoted("yes"));
        assertEquals("\"Off\"", ScalarText.plainOrQuoted("Off"));
        assertEquals("\"NULL\"", ScalarText.plainOrQuoted("NULL"));
        assertEquals("growbin-backend", ScalarText.plainOrQuoted("growbin-backend"));
        assertEquals("\"250m \"", ScalarText.plainOrQuoted("250m "));
        assertEquals("\"1\"", ScalarText.plainOrQuoted("1"));
        assertEquals("\"\"", ScalarText.plainOrQuoted(""));
    }
}
