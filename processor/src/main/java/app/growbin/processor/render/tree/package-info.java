/**
 * Manifests as trees that are written once and read two ways. A renderer builds a {@link Node} tree
 * whose values are {@link Expr}essions over the settings: for an environment every expression is a
 * literal and every condition is decided while the tree is built, so the tree is the manifest; for
 * the Helm chart the settings are references into the chart's values, and the same tree becomes a
 * template. Each operation ({@link Op}) is defined once with both its Java evaluation and its Go
 * template form.
 */
package app.growbin.processor.render.tree;
