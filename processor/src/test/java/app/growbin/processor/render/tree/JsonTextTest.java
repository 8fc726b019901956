package app.growbin.processor.render.tree;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSON text of a tree: the Java side as Go's {@code json.MarshalIndent(v, "", "  ")} writes it, the Go
 * side as the Sprig expression that gives it. (That both agree is checked with Helm after every
 * compile of the processor's tests, on the dashboards.)
 */
class JsonTextTest {

    @Test
    void aKnownTreeIsIndentedWithSortedKeysAsGoWritesIt() {
        Node tree = map(
                "title", "a & b <c>",
                "panels", list(map("id", 1, "value", JsonText.NULL), map()),
                "empty", list(),
                "ratio", Expr.literal(Double.class, 0.05),
                "whole", Expr.literal(Double.class, 1.0),
                "editable", false);
        assertEquals("""
                {
                  "editable": false,
                  "empty": [],
                  "panels": [
                    {
                      "id": 1,
                      "value": null
                    },
                    {}
                  ],
                  "ratio": 0.05,
                  "title": "a \\u0026 b \\u003cc\\u003e",
                  "whole": 1
                }""", JsonText.pretty(tree).value());
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        assertEquals("\"q\\\"uote \\\\ \\n\\r\\t\\b\\f \\u0001 \\u2028 \u00e9 \u007f\"",
                JsonText.string("q\"uote \\ \n\r\t\b\f \u0001 \u2028 \u00e9 \u007f"));
    }

    @Test
    void anUnknownTreeIsBuiltWithDictListConcatMergeAndTernary() {
        Expr<Boolean> on = new Expr.Reference<>(Boolean.class, "$.Values.on");
        Expr<String> name = new Expr.Reference<>(String.class, "$.Values.name");
        Node tree = map(
                "name", name,
                "maybe", when(on, "yes"),
                "items", list(1, when(on, map("n", 2)), 3, JsonText.NULL));
        Expr<String> text = JsonText.pretty(tree);
        assertTrue(text instanceof Expr.Call<String>, "computed when Helm renders: " + text);
        Expr.Call<String> call = (Expr.Call<String>) text;
        // the operands in the order the template meets them: items' condition, maybe's condition, the name
        assertEquals(List.of(on, on, name), call.arguments());
        assertEquals("(toPrettyJson (merge (dict \"items\" (concat (list 1) (ternary (list (dict \"n\" 2)) (list) ON1) (list 3 nil)) "
                        + "\"name\" NAME) (ternary (dict \"maybe\" \"yes\") (dict) ON2)))",
                call.op().template(List.of("ON1", "ON2", "NAME")));
    }
}
