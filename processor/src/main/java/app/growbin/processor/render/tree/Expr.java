package app.growbin.processor.render.tree;

import java.util.List;
import java.util.Objects;

/**
 * A value of a manifest: known now ({@link Literal}), or computed when Helm renders the chart
 * ({@link Reference} to the chart's values, {@link Call} of an operation on other expressions).
 */
public sealed interface Expr<T> {

    Class<T> type();

    /** Whether the value is known now. */
    default boolean isLiteral() {
        return this instanceof Literal;
    }

    /** The value of a literal; an {@link IllegalStateException} for the others. */
    default T value() {
        if (this instanceof Literal<T> literal) {
            return literal.literal();
        }
        throw new IllegalStateException("not known before Helm renders the chart: " + this);
    }

    /** A value known now (null for an optional setting without one). */
    record Literal<T>(Class<T> type, T literal) implements Expr<T> {
        // written out: a record's generated equals and hashCode bootstrap through ObjectMethods on first use
        @Override
        public boolean equals(Object other) {
            return other instanceof Literal<?> that && type == that.type && Objects.equals(literal, that.literal);
        }

        @Override
        public int hashCode() {
            return type.getName().hashCode() * 31 + Objects.hashCode(literal);
        }
    }

    /**
     * A Go template expression that yields the value, such as {@code (int $.Values.api.rest.waste.replicas)}.
     *
     * @param template a complete operand: parenthesized unless it is a single term
     */
    record Reference<T>(Class<T> type, String template) implements Expr<T> {
        @Override
        public boolean equals(Object other) {
            return other instanceof Reference<?> that && type == that.type && template.equals(that.template);
        }

        @Override
        public int hashCode() {
            return type.getName().hashCode() * 31 + template.hashCode();
        }
    }

    /** An operation on arguments at least one of which is not known now. */
    record Call<T>(Class<T> type, Op<T> op, List<Expr<?>> arguments) implements Expr<T> {
        public Call {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Call<?> that && type == that.type && op.equals(that.op) && arguments.equals(that.arguments);
        }

        @Override
        public int hashCode() {
            return (type.getName().hashCode() * 31 + op.hashCode()) * 31 + arguments.hashCode();
        }
    }

    static <T> Expr<T> literal(Class<T> type, T value) {
        return new Literal<>(type, value);
    }

    static Expr<String> text(String value) {
        return new Literal<>(String.class, value);
    }

    static Expr<Integer> number(int value) {
        return new Literal<>(Integer.class, value);
    }

    static Expr<Boolean> bool(boolean value) {
        return new Literal<>(Boolean.class, value);
    }
}
