package app.growbin.processor.render.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An operation with its two meanings: what it computes in Java when every argument is known, and the
 * Go template (Sprig) command that computes the same when Helm renders the chart.
 *
 * @param name for messages
 * @param evaluate the Java computation, on the arguments' values
 * @param template the Go command, on the arguments' template operands
 */
public record Op<T>(String name, Class<T> type, Function<List<Object>, T> evaluate, Function<List<String>, String> template) {

    /**
     * The operation applied: computed now when every argument is a literal, else a {@link Expr.Call}.
     * A literal without a value (an optional setting that has none, or a setting of an autoscaler that
     * is off) makes the result have none too.
     */
    public Expr<T> apply(Expr<?>... arguments) {
        return apply(List.of(arguments));
    }

    public Expr<T> apply(List<? extends Expr<?>> arguments) {
        if (arguments.stream().anyMatch(argument -> argument.isLiteral() && argument.value() == null)) {
            return Expr.literal(type, null);
        }
        if (arguments.stream().allMatch(Expr::isLiteral)) {
            List<Object> values = new ArrayList<>(arguments.size());
            arguments.forEach(argument -> values.add(argument.value()));
            return Expr.literal(type, evaluate.apply(values));
        }
        return new Expr.Call<>(type, this, new ArrayList<>(arguments));
    }
}
