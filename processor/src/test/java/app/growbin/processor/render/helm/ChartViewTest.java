package app.growbin.processor.render.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.processor.settings.ScalarText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A values path is dotted as far as its parts are Go identifiers, then indexed: the hand-written test agrees with the pattern. */
class ChartViewTest {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Test
    void valuesPathDotsIdentifiersAndIndexesTheRest() {
        assertEquals("$.Values.api.rest.waste.replicas", ChartView.valuesPath(List.of("api", "rest", "waste", "replicas")));
        assertEquals("(index $.Values.api.async \"image-api\" \"replicas\")", ChartView.valuesPath(List.of("api", "async", "image-api", "replicas")));
        assertEquals("(index $.Values \"1st\")", ChartView.valuesPath(List.of("1st")));
    }

    @Test
    void theIdentifierTestIsThePattern() {
        String alphabet = "aZ_09-. é";
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            List<String> path = new ArrayList<>();
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                StringBuilder part = new StringBuilder();
                int length = random.nextInt(4);
                for (int j = 0; j < length; j++) {
                    part.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                path.add(part.toString());
            }
            assertEquals(byPattern(path), ChartView.valuesPath(path), path.toString());
        }
    }

    /** The rule as it was written before, with the pattern. */
    private static String byPattern(List<String> path) {
        int dotted = 0;
        while (dotted < path.size() && IDENTIFIER.matcher(path.get(dotted)).matches()) {
            dotted++;
        }
        String prefix = "$.Values" + (dotted == 0 ? "" : "." + String.join(".", path.subList(0, dotted)));
        if (dotted == path.size()) {
            return prefix;
        }
        StringBuilder index = new StringBuilder("(index ").append(prefix);
        for (String part : path.subList(dotted, path.size())) {
            index.append(' ').append(ScalarText.quoted(part));
        }
        return index.append(')').toString();
    }
}
