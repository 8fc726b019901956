package app.growbin.backend.ai;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deterministic fallback when no OpenAI key is configured: keywords in the image reference or
 * description decide the material, so the whole backend runs locally and tests are repeatable.
 */
public final class OfflineClassifier {

    private record Rule(String material, String label, List<String> keywords) {}

    private static final List<Rule> RULES = List.of(
            new Rule("plastic", "plastic bottle", List.of("pet", "plastic", "bottle", "cup", "bag", "wrap")),
            new Rule("glass", "glass jar", List.of("glass", "jar", "wine")),
            new Rule("metal", "metal can", List.of("can", "tin", "aluminium", "aluminum", "metal", "foil")),
            new Rule("paper", "paper or cardboard", List.of("paper", "cardboard", "box", "newspaper", "carton")),
            new Rule("organic", "food waste", List.of("food", "banana", "apple", "peel", "coffee", "organic")),
            new Rule("electronic", "electronic waste", List.of("battery", "phone", "cable", "laptop", "charger")));

    private OfflineClassifier() {}

    public static Classification classify(String input) {
        String text = input.toLowerCase(Locale.ROOT);
        for (Rule r : RULES) {
            for (String k : r.keywords()) {
                if (text.contains(k)) {
                    return new Classification(input, r.label(), r.material(), 0.6, "offline");
                }
            }
        }
        return new Classification(input, "general waste", "general", 0.3, "offline");
    }

    /** Bin and rules per material (the retrieval corpus of the rag stage). */
    public static final Map<String, Guidance> GUIDANCE = Map.of(
            "plastic", guidance("yellow", "Empty and rinse it.", "Remove the cap and put it in separately.", "Flatten bottles."),
            "glass", guidance("green", "Empty it; labels may stay on.", "No window glass or ceramics."),
            "metal", guidance("yellow", "Empty and rinse it.", "Aerosol cans only when empty."),
            "paper", guidance("blue", "Keep it dry.", "Flatten boxes.", "No greasy pizza boxes."),
            "organic", guidance("brown", "No plastic bags, even 'compostable' ones.", "Wrap wet waste in newspaper."),
            "electronic", guidance("collection point", "Never in household bins.", "Take batteries to a shop collection box."),
            "general", guidance("black", "Only what cannot be recycled.", "When unsure, check the local rules."));

    private static Guidance guidance(String bin, String... rules) {
        return new Guidance(null, bin, List.of(rules));
    }
}
