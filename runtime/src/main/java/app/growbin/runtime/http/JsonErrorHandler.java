package app.growbin.runtime.http;

import app.growbin.runtime.celery.PythonJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, as JSON like every other error: a request line it cannot parse
 * (400), a header over the limit (431), a request target over it (414), and anything that escaped a
 * handler. The body is {@code {"error": <the status's reason phrase>}}: the parser's own message would
 * echo the client's bytes.
 */
final class JsonErrorHandler extends ErrorHandler {

    static byte[] body(int status) {
        String reason = HttpStatus.getMessage(status);
        try {
            return PythonJson.MAPPER.writeValueAsBytes(Map.of("error", reason == null ? "error " + status : reason.toLowerCase(java.util.Locale.ROOT)));
        } catch (JsonProcessingException e) {
            return ("{\"error\": \"error " + status + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object s = request.getAttribute(ERROR_STATUS);
        int status = s instanceof Integer ? (Integer) s : 500;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status));
    }
}
