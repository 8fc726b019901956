package app.growbin.runtime;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type captured at compile time ({@code new TypeRef<List<String>>() {}}), so generated
 * code can convert JSON task arguments and results to generic types without depending on Jackson.
 */
public abstract class TypeRef<T> {

    private final Type type;

    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType)) {
            throw new IllegalStateException("TypeRef needs a type argument: new TypeRef<List<String>>() {}");
        }
        this.type = ((ParameterizedType) superclass).getActualTypeArguments()[0];
    }

    public Type type() {
        return type;
    }
}
