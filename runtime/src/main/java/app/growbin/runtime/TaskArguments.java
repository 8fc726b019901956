package app.growbin.runtime;

import app.growbin.runtime.celery.PythonJson;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The arguments of one Celery call ({@code args} and {@code kwargs}), converted on demand to the
 * Java parameter types of the {@code @Task} method: a keyword argument wins over the positional one.
 */
public final class TaskArguments {

    private final ArrayNode args;
    private final ObjectNode kwargs;

    public TaskArguments(ArrayNode args, ObjectNode kwargs) {
        this.args = args;
        this.kwargs = kwargs;
    }

    public int size() {
        return args.size();
    }

    public <T> T get(int index, String name, Class<T> type) {
        return convert(index, name, PythonJson.MAPPER.constructType(type));
    }

    public <T> T get(int index, String name, TypeRef<T> type) {
        return convert(index, name, PythonJson.MAPPER.constructType(type.type()));
    }

    private <T> T convert(int index, String name, JavaType type) {
        JsonNode value;
        if (kwargs.has(name)) {
            value = kwargs.get(name);
        } else if (index < args.size()) {
            value = args.get(index);
        } else {
            throw new TaskArgumentException("missing argument " + index + " (" + name + ")");
        }
        if (type.isPrimitive() && (value == null || value.isNull())) {
            throw new TaskArgumentException("argument " + name + " must not be null");
        }
        try {
            return PythonJson.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new TaskArgumentException("argument " + name + " is not a " + type.getRawClass().getSimpleName()
                    + ": " + e.getMessage());
        }
    }

    /** The arguments do not fit the task's parameters (Python's TypeError). */
    public static final class TaskArgumentException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public TaskArgumentException(String message) {
            super(message);
        }
    }
}
