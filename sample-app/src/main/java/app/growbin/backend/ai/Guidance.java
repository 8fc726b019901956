package app.growbin.backend.ai;

import java.util.List;

/** The recycling rules the rag stage found for a classification. */
public record Guidance(Classification classification, String bin, List<String> rules) {}
