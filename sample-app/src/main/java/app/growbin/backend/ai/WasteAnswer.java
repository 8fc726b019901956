package app.growbin.backend.ai;

import java.util.List;

/** The pipeline's final, user-facing answer. */
public record WasteAnswer(String label, String material, String bin, List<String> rules, String message, String source) {}
