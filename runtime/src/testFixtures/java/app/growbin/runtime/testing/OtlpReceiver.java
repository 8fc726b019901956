package app.growbin.runtime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on loopback, what an OpenTelemetry Collector's {@code otlp} receiver is
 * to the runtime: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest} in protobuf
 * (decoded with the official {@code opentelemetry-proto} classes), answered 200. Keeps every span it
 * received. Point a process at it with {@code OTEL_EXPORTER_OTLP_ENDPOINT=}{@link #endpoint()}.
 */
public final class OtlpReceiver implements AutoCloseable {

    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Event(String name, Map<String, Object> attributes) {}

    /** One span as the exporter sent it; ids in lower-case hex, empty parent for a root span. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
            long startNanos, long endNanos, Map<String, Object> attributes, List<Event> events, String status,
            String statusMessage) {

        public Object attribute(String key) {
            return attributes.get(key);
        }

        public boolean hasEvent(String eventName) {
            return events.stream().anyMatch(e -> e.name().equals(eventName));
        }

        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("service", service);
            o.put("name", name);
            o.put("kind", kind);
            o.put("traceId", traceId);
            o.put("spanId", spanId);
            o.put("parentSpanId", parentSpanId);
            o.put("durationMs", (endNanos - startNanos) / 1e6);
            o.put("status", status);
            if (!statusMessage.isEmpty()) {
                o.put("statusMessage", statusMessage);
            }
            o.set("attributes", JSON.valueToTree(attributes));
            if (!events.isEmpty()) {
                ArrayNode ev = o.putArray("events");
                events.forEach(e -> ev.addObject().put("name", e.name()).set("attributes", JSON.valueToTree(e.attributes())));
            }
            return o;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type == null || !type.startsWith("application/x-protobuf")) {
                    receiver.errors.add("content type " + type);
                    exchange.sendResponseHeaders(415, -1);
                    return;
                }
                InputStream in = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    in = new GZIPInputStream(in);
                }
                byte[] body = in.readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    exchange.sendResponseHeaders(413, -1);
                    return;
                }
                receiver.accept(ExportTraceServiceRequest.parseFrom(body));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException | RuntimeException e) {
                receiver.errors.add(e.toString());
                throw e;
            }
        });
        server.start();
        return receiver;
    }

    /** {@code http://127.0.0.1:<port>}: the value of {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Requests it could not read (none expected). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Waits until the spans received satisfy {@code done}; fails with what arrived otherwise. */
    public List<ReceivedSpan> await(String what, Predicate<List<ReceivedSpan>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<ReceivedSpan> now = spans();
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; received:\n" + toJson(spans()) + "\nerrors: " + errors);
    }

    /** The spans as a JSON array (pretty). */
    public static String toJson(List<ReceivedSpan> list) {
        ArrayNode a = JSON.createArrayNode();
        list.forEach(s -> a.add(s.toJson()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a);
        } catch (IOException e) {
            return a.toString();
        }
    }

    private void accept(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = String.valueOf(attributes(rs.getResource()).get("service.name"));
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                    List<Event> events = new ArrayList<>();
                    s.getEventsList().forEach(e -> events.add(new Event(e.getName(), attributes(e.getAttributesList()))));
                    spans.add(new ReceivedSpan(service, hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                            hex(s.getParentSpanId().toByteArray()), s.getName(), s.getKind().name().replace("SPAN_KIND_", ""),
                            s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), attributes(s.getAttributesList()), events,
                            s.getStatus().getCode().name().replace("STATUS_CODE_", ""), s.getStatus().getMessage()));
                }
            }
        }
    }

    private static Map<String, Object> attributes(Resource r) {
        return attributes(r.getAttributesList());
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            m.put(kv.getKey(), value(kv.getValue()));
        }
        return m;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
            default -> v.toString();
        };
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
