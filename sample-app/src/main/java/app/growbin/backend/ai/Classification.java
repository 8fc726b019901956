package app.growbin.backend.ai;

/** What the vision stage says about the item: a label, its material, how sure, and who decided. */
public record Classification(String input, String label, String material, double confidence, String source) {}
