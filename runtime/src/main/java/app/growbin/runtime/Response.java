package app.growbin.runtime;

import app.growbin.runtime.celery.PythonJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: status, headers, body. */
public final class Response {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    private Response(int status, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** JSON body (records, maps, lists, Jackson trees). */
    public static Response json(int status, Object body) {
        try {
            byte[] bytes = PythonJson.MAPPER.writeValueAsBytes(body);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json");
            return new Response(status, h, bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Response ok(Object body) {
        return json(200, body);
    }

    public static Response text(int status, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "text/plain; charset=utf-8");
        return new Response(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A body of any type, as given. */
    public static Response bytes(int status, String contentType, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        return new Response(status, h, body.clone());
    }

    public static Response status(int status) {
        return new Response(status, new LinkedHashMap<>(), new byte[0]);
    }

    public Response header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, h, body);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public byte[] body() {
        return body;
    }
}
