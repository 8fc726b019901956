package app.growbin.runtime;

import app.growbin.runtime.celery.PythonJson;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one Celery call ({@code args} and {@code kwargs}), converted on demand to the
 * Java parameter types of the {@code @Task} method: a keyword argument fills the parameter of its
 * name, as in Python. Arguments that do not fit the parameters are Python's {@code TypeError}
 * ({@link TaskArgumentException}): a missing one, a parameter given both by position and by name,
 * and, through {@link #expect} (before the call) or {@link #unexpected()} (after it), an extra
 * positional argument or an unknown keyword.
 */
public final class TaskArguments {

    private final ArrayNode args;
    private final ObjectNode kwargs;
    private final Set<String> requested = new LinkedHashSet<>();
    private boolean checked;

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

    /**
     * Checks, before the task runs, that the call fits a task with exactly these parameters (Python
     * binds arguments before the body runs): no more positional arguments than parameters, no keyword
     * that names none, none given twice, none missing.
     */
    public void expect(String... parameterNames) {
        List<String> names = List.of(parameterNames);
        checked = true;
        if (args.size() > names.size()) {
            throw excess(names.size());
        }
        for (Iterator<String> it = kwargs.fieldNames(); it.hasNext();) {
            String k = it.next();
            int at = names.indexOf(k);
            if (at < 0) {
                throw new TaskArgumentException("got an unexpected keyword argument '" + k + "'");
            }
            if (at < args.size()) {
                throw new TaskArgumentException("got multiple values for argument '" + k + "'");
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = args.size(); i < names.size(); i++) {
            if (!kwargs.has(names.get(i))) {
                missing.add("'" + names.get(i) + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new TaskArgumentException("missing " + missing.size() + " required argument"
                    + (missing.size() > 1 ? "s" : "") + ": " + String.join(", ", missing));
        }
    }

    /**
     * After the call, for dispatchers that did not call {@link #expect}: the TypeError Python would
     * have raised for arguments no parameter took, or empty.
     */
    public Optional<TaskArgumentException> unexpected() {
        if (checked) {
            return Optional.empty();
        }
        if (args.size() > requested.size()) {
            return Optional.of(excess(requested.size()));
        }
        for (Iterator<String> it = kwargs.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!requested.contains(k)) {
                return Optional.of(new TaskArgumentException("got an unexpected keyword argument '" + k + "'"));
            }
        }
        return Optional.empty();
    }

    private TaskArgumentException excess(int parameters) {
        return new TaskArgumentException("takes " + parameters + " positional argument" + (parameters == 1 ? "" : "s")
                + " but " + args.size() + (args.size() == 1 ? " was" : " were") + " given");
    }

    private <T> T convert(int index, String name, JavaType type) {
        requested.add(name);
        JsonNode value;
        if (kwargs.has(name)) {
            if (index < args.size()) {
                throw new TaskArgumentException("got multiple values for argument '" + name + "'");
            }
            value = kwargs.get(name);
        } else if (index < args.size()) {
            value = args.get(index);
        } else {
            throw new TaskArgumentException("missing 1 required positional argument: '" + name + "'");
        }
        if (type.isPrimitive() && (value == null || value.isNull())) {
            throw new TaskArgumentException("argument " + name + " must not be None");
        }
        try {
            return PythonJson.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new TaskArgumentException("argument " + name + " is not a " + type.getRawClass().getSimpleName()
                    + ": " + e.getMessage());
        }
    }

    /** The arguments do not fit the task's parameters: stored as Python's {@code builtins.TypeError}. */
    public static final class TaskArgumentException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public TaskArgumentException(String message) {
            super(message);
        }
    }
}
