package app.growbin.processor.render.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An operation with its two meanings: what it computes in Java when every argument is known, and the
 * Go template (Sprig) command that computes the same when Helm renders the chart. Both are decided by
 * its {@link Form} (a switch, not a lambda per operation: each lambda is a class spun when the renderer
 * first runs, which a compilation in a fresh JVM pays for). Two operations are equal when they have the
 * same form, name, type and parameter, so that two calls are the same expression exactly when they
 * compute the same thing from equal arguments.
 */
public final class Op<T> {

    /** Every operation the renderers use; {@link Ops} gives each its Java and its Go meaning. */
    enum Form {
        TO_STRING, ADD, NOT, GREATER, EQUAL, NON_EMPTY, HAS_KEY, GET, VERSION_LABEL, IMAGE, BELOW_ONE_CPU, MEMORY_AT_MOST,
        CONFIG_HASH, PERCENT, PUT_IF, GET_OR_KEY, UNIQUE_SORTED, CONCAT, JUNCTION, TERNARY, DEFAULT, POSITIVE, TRUNCATE,
        REGEX_NUMBER, SINGLE_ENTRY, PRETTY_JSON
    }

    private final String name;
    private final Class<T> type;
    private final Form form;
    /** What the form needs besides the arguments (a length, the tree of a JSON text), or null. */
    private final Object parameter;

    Op(String name, Class<T> type, Form form, Object parameter) {
        this.name = name;
        this.type = type;
        this.form = form;
        this.parameter = parameter;
    }

    Op(String name, Class<T> type, Form form) {
        this(name, type, form, null);
    }

    /** For messages. */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The Java computation, on the arguments' values. */
    @SuppressWarnings("unchecked")
    public T evaluate(List<Object> values) {
        return (T) Ops.evaluate(form, name, parameter, values);
    }

    /** The Go command, on the arguments' template operands. */
    public String template(List<String> operands) {
        return Ops.template(form, name, parameter, operands);
    }

    /**
     * The operation applied: computed now when every argument is a literal, else a {@link Expr.Call}.
     * A literal without a value (an optional setting that has none, or a setting of an autoscaler that
     * is off) makes the result have none too.
     */
    public Expr<T> apply(Expr<?>... arguments) {
        return apply(List.of(arguments));
    }

    public Expr<T> apply(List<? extends Expr<?>> arguments) {
        boolean allKnown = true;
        for (Expr<?> argument : arguments) {
            if (argument.isLiteral() && argument.value() == null) {
                return Expr.literal(type, null);
            }
            allKnown &= argument.isLiteral();
        }
        if (allKnown) {
            List<Object> values = new ArrayList<>(arguments.size());
            for (Expr<?> argument : arguments) {
                values.add(argument.value());
            }
            return Expr.literal(type, evaluate(values));
        }
        return new Expr.Call<>(type, this, new ArrayList<>(arguments));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Op<?> that && form == that.form && name.equals(that.name) && type == that.type
                && Objects.equals(parameter, that.parameter);
    }

    @Override
    public int hashCode() {
        return (form.ordinal() * 31 + name.hashCode()) * 31 + Objects.hashCode(parameter);
    }

    @Override
    public String toString() {
        return "Op[" + name + "]";
    }
}
