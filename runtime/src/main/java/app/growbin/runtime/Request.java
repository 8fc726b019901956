package app.growbin.runtime;

import app.growbin.runtime.auth.Caller;
import app.growbin.runtime.celery.PythonJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request as a handler sees it: method, path, parameters, headers, body. */
public final class Request {

    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Caller caller;
    private final String clientAddress;

    public Request(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
            Map<String, List<String>> headers, byte[] body) {
        this(method, path, pathParams, query, headers, body, null, "");
    }

    public Request(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
            Map<String, List<String>> headers, byte[] body, Caller caller, String clientAddress) {
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.caller = caller;
        this.clientAddress = clientAddress;
    }

    /** The verified token's caller; empty on a public route called without a token. */
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    /** The caller of a route that requires a token (the server has checked it); 401 otherwise. */
    public Caller requireCaller() {
        if (caller == null) {
            throw HttpException.unauthorized("a bearer token is required");
        }
        return caller;
    }

    /**
     * The client's IP address: the peer, or with {@code HTTP_TRUSTED_PROXY_HOPS} = n the n-th address
     * from the right of {@code X-Forwarded-For} (what the trusted proxies saw, not what the client wrote).
     */
    public String clientAddress() {
        return clientAddress;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A {@code {name}} segment of the route; a missing one is a programming error. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no parameter {" + name + "}");
        }
        return v;
    }

    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** A header, case-insensitive. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON tree; 400 when it is not JSON. */
    public JsonNode json() {
        if (body.length == 0) {
            throw HttpException.badRequest("a JSON body is required");
        }
        try {
            return PythonJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw HttpException.badRequest("the body is not valid JSON");
        }
    }

    /** The body bound to a type (records work); 400 when it does not fit. */
    public <T> T json(Class<T> type) {
        JsonNode tree = json();
        try {
            return PythonJson.MAPPER.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw HttpException.badRequest("the body does not fit " + type.getSimpleName());
        }
    }
}
