package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Celery task message, protocol v2 ({@code celery/app/amqp.py} {@code as_task_v2}): task name, id
 * and the other scalar fields in the AMQP headers, and the JSON body {@code [args, kwargs, embed]},
 * where {@code embed} carries the callbacks, errbacks, the rest of a chain and a chord body, so the
 * headers stay small whatever the arguments ({@code argsrepr}/{@code kwargsrepr} are truncated
 * previews, {@link SafeRepr}). Encoded the way Celery 5.2 does it, field by field and type by type
 * (the wire test compares the bytes with a recording). Built with {@link #builder(String, String)}.
 */
public final class CeleryMessage {

    public static final String CONTENT_TYPE = "application/json";
    public static final String CONTENT_ENCODING = "utf-8";
    /**
     * The trace context headers a message may carry, as opentelemetry-instrumentation-celery writes
     * them: top-level entries of the protocol v2 headers table (its {@code before_task_publish}
     * handler injects into the {@code headers} dict Celery then publishes), read back by the worker
     * as attributes of the task request. W3C trace context and baggage.
     */
    public static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final String task;
    private final String id;
    private final String rootId;
    private final String parentId;
    private final String groupId;
    private final Integer groupIndex;
    private final int retries;
    private final Instant eta;
    private final Instant expires;
    private final Double timeLimit;
    private final Double softTimeLimit;
    private final ArrayNode args;
    private final ObjectNode kwargs;
    private final List<Signature> callbacks;
    private final List<Signature> errbacks;
    private final List<Signature> chain;
    private final Signature chord;
    private final String origin;
    private final String replyTo;
    private final boolean ignoreResult;
    private final String lang;
    private final String shadow;
    private final Compression compression;
    private final Map<String, String> traceHeaders;

    private CeleryMessage(Builder b) {
        if (b.task == null || b.id == null) {
            throw new IllegalArgumentException("a Celery message needs a task name and an id");
        }
        task = b.task;
        id = b.id;
        rootId = b.rootId;
        parentId = b.parentId;
        groupId = b.groupId;
        groupIndex = b.groupIndex;
        retries = b.retries;
        eta = b.eta;
        expires = b.expires;
        timeLimit = b.timeLimit;
        softTimeLimit = b.softTimeLimit;
        args = b.args == null ? JsonNodeFactory.instance.arrayNode() : b.args;
        kwargs = b.kwargs == null ? JsonNodeFactory.instance.objectNode() : b.kwargs;
        callbacks = List.copyOf(b.callbacks);
        errbacks = List.copyOf(b.errbacks);
        chain = List.copyOf(b.chain);
        chord = b.chord;
        origin = b.origin;
        replyTo = b.replyTo;
        ignoreResult = b.ignoreResult;
        lang = b.lang;
        shadow = b.shadow;
        compression = b.compression;
        traceHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.traceHeaders));
    }

    public static Builder builder(String task, String id) {
        return new Builder(task, id);
    }

    /** A fresh message for a first call (root of its own workflow). */
    public static CeleryMessage call(String task, String id, ArrayNode args, ObjectNode kwargs, String origin,
            String replyTo) {
        return builder(task, id).rootId(id).args(args).kwargs(kwargs).origin(origin).replyTo(replyTo).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(task, id);
        b.rootId = rootId;
        b.parentId = parentId;
        b.groupId = groupId;
        b.groupIndex = groupIndex;
        b.retries = retries;
        b.eta = eta;
        b.expires = expires;
        b.timeLimit = timeLimit;
        b.softTimeLimit = softTimeLimit;
        b.args = args;
        b.kwargs = kwargs;
        b.callbacks = new ArrayList<>(callbacks);
        b.errbacks = new ArrayList<>(errbacks);
        b.chain = new ArrayList<>(chain);
        b.chord = chord;
        b.origin = origin;
        b.replyTo = replyTo;
        b.ignoreResult = ignoreResult;
        b.lang = lang;
        b.shadow = shadow;
        b.compression = compression;
        b.traceHeaders = new LinkedHashMap<>(traceHeaders);
        return b;
    }

    public String task() { return task; }
    public String id() { return id; }
    public String rootId() { return rootId; }
    public String parentId() { return parentId; }
    /** The group (or chord header) this task belongs to, Celery's {@code group} header. */
    public String groupId() { return groupId; }
    /** Its place in the group; orders a chord's results. */
    public Integer groupIndex() { return groupIndex; }
    public int retries() { return retries; }
    /** Not to run before (Celery's {@code eta}, also what {@code countdown} becomes). */
    public Instant eta() { return eta; }
    /** Not to run after: then it is stored as REVOKED ({@code TaskRevokedError('expired')}). */
    public Instant expires() { return expires; }
    /** The hard time limit in seconds: {@code timelimit[0]}. */
    public Double timeLimit() { return timeLimit; }
    /** The soft time limit in seconds: {@code timelimit[1]}. */
    public Double softTimeLimit() { return softTimeLimit; }
    public ArrayNode args() { return args; }
    public ObjectNode kwargs() { return kwargs; }
    /** {@code link}: sent with the result prepended when the task succeeds. */
    public List<Signature> callbacks() { return callbacks; }
    /** {@code link_error}: sent with the task id when it fails for good. */
    public List<Signature> errbacks() { return errbacks; }
    /** The remaining signatures of a chain; the last one runs next (Celery's order). */
    public List<Signature> chain() { return chain; }
    /** The chord body this task is a header part of, or null. */
    public Signature chord() { return chord; }
    public String origin() { return origin; }
    public String replyTo() { return replyTo; }
    public boolean ignoreResult() { return ignoreResult; }
    public String lang() { return lang; }
    public Compression compression() { return compression; }
    /** {@code traceparent}, {@code tracestate}, {@code baggage} as the message carries them (empty: none). */
    public Map<String, String> traceHeaders() { return traceHeaders; }

    /** The AMQP headers table, in Celery's order and with Celery's types. */
    public Map<String, Object> headers() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lang", lang == null ? "py" : lang);
        h.put("task", task);
        h.put("id", id);
        h.put("shadow", shadow);
        h.put("eta", eta == null ? null : isoformat(eta));
        h.put("expires", expires == null ? null : isoformat(expires));
        h.put("group", groupId);
        h.put("group_index", groupIndex);
        h.put("retries", retries);
        h.put("timelimit", Arrays.asList(seconds(timeLimit), seconds(softTimeLimit)));
        h.put("root_id", rootId);
        h.put("parent_id", parentId);
        h.put("argsrepr", SafeRepr.of(args));
        h.put("kwargsrepr", SafeRepr.of(kwargs));
        h.put("origin", origin);
        h.put("ignore_result", ignoreResult);
        h.putAll(traceHeaders); // where Python's instrumentation adds them: after Celery's own, before kombu's compression
        if (compression != null) {
            h.put("compression", compression.contentType());
        }
        return h;
    }

    /** A whole number of seconds goes as an integer, as Python sends {@code time_limit=5}. */
    private static Object seconds(Double s) {
        if (s == null) {
            return null;
        }
        return s == Math.rint(s) && Math.abs(s) < Integer.MAX_VALUE ? (Object) s.intValue() : s;
    }

    /** The JSON body {@code [args, kwargs, {"callbacks", "errbacks", "chain", "chord"}]} as Python writes it. */
    public byte[] json() {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        body.add(args);
        body.add(kwargs);
        ObjectNode embed = body.addObject();
        embed.set("callbacks", signatures(callbacks));
        embed.set("errbacks", signatures(errbacks));
        embed.set("chain", signatures(chain));
        embed.set("chord", chord == null ? NullNode.instance : chord.toJson());
        return PythonJson.write(body).getBytes(StandardCharsets.UTF_8);
    }

    /** The body as sent: {@link #json()}, compressed when the message says so. */
    public byte[] body() {
        byte[] json = json();
        return compression == null ? json : compression.compress(json);
    }

    private static JsonNode signatures(List<Signature> list) {
        if (list.isEmpty()) {
            return NullNode.instance;
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Signature s : list) {
            a.add(s.toJson());
        }
        return a;
    }

    public AMQP.BasicProperties properties() {
        Map<String, Object> headers = headers();
        AMQP.BasicProperties plain = new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .contentEncoding(CONTENT_ENCODING)
                .headers(headers)
                .deliveryMode(2)
                .priority(0)
                .correlationId(id)
                .replyTo(replyTo)
                .build();
        return new OrderedProperties(plain, headers);
    }

    /** The task id in a delivery's headers, if any (to store a FAILURE for a message that cannot be decoded). */
    public static String idOf(AMQP.BasicProperties props) {
        Map<String, Object> h = props.getHeaders();
        String id = h == null ? null : str(h.get("id"));
        return id == null || id.isBlank() || id.length() > 255 ? null : id;
    }

    /** The task name in a delivery's headers, or {@code "unknown"} (a metric label). */
    public static String taskOf(AMQP.BasicProperties props) {
        Map<String, Object> h = props.getHeaders();
        String task = h == null ? null : str(h.get("task"));
        return task == null || task.length() > 200 ? "unknown" : task;
    }

    /**
     * Decodes a delivery; a message that is not Celery protocol v2 JSON is a
     * {@link MalformedMessageException}, a content type or compression it cannot read a
     * {@link CeleryExceptions.ContentDisallowed}, a body that expands above {@code maxBodyBytes} a
     * {@link MessageTooLargeException}: none of them can succeed on a retry.
     */
    public static CeleryMessage decode(AMQP.BasicProperties props, byte[] body, long maxBodyBytes) {
        Map<String, Object> h = props.getHeaders();
        if (h == null || h.get("task") == null || h.get("id") == null) {
            throw new MalformedMessageException(
                    "not a Celery protocol v2 message: the 'task' and 'id' headers are missing");
        }
        String ct = props.getContentType();
        if (ct != null && !ct.equals(CONTENT_TYPE)) {
            throw new CeleryExceptions.ContentDisallowed("content type " + ct + " is not accepted (only application/json)");
        }
        Compression compression = h.get("compression") == null ? null : Compression.named(str(h.get("compression")));
        byte[] json = compression == null ? body : compression.decompress(body, maxBodyBytes);
        JsonNode root = PythonJson.read(json);
        if (!root.isArray() || root.size() < 2 || !root.get(0).isArray() || !root.get(1).isObject()) {
            throw new MalformedMessageException("the body is not [args, kwargs, embed]");
        }
        JsonNode embed = root.size() > 2 && root.get(2).isObject() ? root.get(2) : JsonNodeFactory.instance.objectNode();
        List<?> tl = h.get("timelimit") instanceof List ? (List<?>) h.get("timelimit") : List.of();
        Builder b = builder(str(h.get("task")), str(h.get("id")))
                .rootId(str(h.get("root_id")))
                .parentId(str(h.get("parent_id")))
                .group(str(h.get("group")), h.get("group_index") instanceof Number n ? n.intValue() : null)
                .retries(h.get("retries") instanceof Number n ? n.intValue() : 0)
                .eta(instant("eta", str(h.get("eta"))))
                .expires(instant("expires", str(h.get("expires"))))
                .timeLimits(tl.size() > 0 ? num(tl.get(0)) : null, tl.size() > 1 ? num(tl.get(1)) : null)
                .args((ArrayNode) root.get(0))
                .kwargs((ObjectNode) root.get(1))
                .callbacks(signatureList(embed.get("callbacks")))
                .errbacks(signatureList(embed.get("errbacks")))
                .chain(signatureList(embed.get("chain")))
                .chord(embed.hasNonNull("chord") ? Signature.fromJson(embed.get("chord")) : null)
                .origin(str(h.get("origin")))
                .replyTo(props.getReplyTo())
                .ignoreResult(Boolean.TRUE.equals(h.get("ignore_result")))
                .lang(str(h.get("lang")))
                .shadow(str(h.get("shadow")));
        b.compression = compression;
        for (String name : TRACE_HEADERS) {
            String v = str(h.get(name));
            if (v != null && v.length() <= MAX_TRACE_HEADER_CHARS) {
                b.traceHeaders.put(name, v);
            }
        }
        return b.build();
    }

    /** Longer trace headers are dropped (W3C: traceparent is 55 characters, tracestate at most 32 entries). */
    static final int MAX_TRACE_HEADER_CHARS = 8192;

    private static List<Signature> signatureList(JsonNode n) {
        List<Signature> list = new ArrayList<>();
        if (n == null || n.isNull()) {
            return list;
        }
        if (!n.isArray()) {
            throw new MalformedMessageException("callbacks, errbacks and chain must be lists of signatures");
        }
        for (JsonNode s : n) {
            list.add(Signature.fromJson(s));
        }
        return list;
    }

    /** Python's {@code datetime.isoformat()} of an aware UTC time: microseconds unless zero, {@code +00:00}. */
    public static String isoformat(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int micros = local.getNano() / 1000;
        return SECONDS.format(local) + (micros == 0 ? "" : String.format(".%06d", micros)) + "+00:00";
    }

    /** An ISO 8601 time as Celery sends it; without an offset it is UTC (Celery's default timezone). */
    static Instant instant(String field, String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new MalformedMessageException("the " + field + " header is not an ISO 8601 time: " + iso);
            }
        }
    }

    static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof LongString) {
            return new String(((LongString) o).getBytes(), StandardCharsets.UTF_8);
        }
        if (o instanceof byte[]) {
            return new String((byte[]) o, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    private static Double num(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : null;
    }

    /** Named fields for a {@link CeleryMessage}; unset ones are Celery's defaults (null, 0, false). */
    public static final class Builder {
        private final String task;
        private final String id;
        private String rootId;
        private String parentId;
        private String groupId;
        private Integer groupIndex;
        private int retries;
        private Instant eta;
        private Instant expires;
        private Double timeLimit;
        private Double softTimeLimit;
        private ArrayNode args;
        private ObjectNode kwargs;
        private List<Signature> callbacks = new ArrayList<>();
        private List<Signature> errbacks = new ArrayList<>();
        private List<Signature> chain = new ArrayList<>();
        private Signature chord;
        private String origin;
        private String replyTo;
        private boolean ignoreResult;
        private String lang = "py";
        private String shadow;
        private Compression compression;
        private Map<String, String> traceHeaders = new LinkedHashMap<>();

        private Builder(String task, String id) {
            this.task = task;
            this.id = id;
        }

        public Builder rootId(String v) { rootId = v; return this; }
        public Builder parentId(String v) { parentId = v; return this; }
        public Builder group(String id, Integer index) { groupId = id; groupIndex = index; return this; }
        public Builder retries(int v) { retries = v; return this; }
        public Builder eta(Instant v) { eta = v; return this; }
        public Builder expires(Instant v) { expires = v; return this; }
        /** Celery's {@code timelimit = [time_limit, soft_time_limit]}, in seconds; null for the worker's default. */
        public Builder timeLimits(Double hard, Double soft) { timeLimit = hard; softTimeLimit = soft; return this; }
        public Builder args(ArrayNode v) { args = v; return this; }
        public Builder kwargs(ObjectNode v) { kwargs = v; return this; }
        public Builder callbacks(List<Signature> v) { callbacks = new ArrayList<>(v); return this; }
        public Builder errbacks(List<Signature> v) { errbacks = new ArrayList<>(v); return this; }
        public Builder chain(List<Signature> v) { chain = new ArrayList<>(v); return this; }
        public Builder chord(Signature v) { chord = v; return this; }
        public Builder origin(String v) { origin = v; return this; }
        public Builder replyTo(String v) { replyTo = v; return this; }
        public Builder ignoreResult(boolean v) { ignoreResult = v; return this; }
        public Builder lang(String v) { lang = v; return this; }
        public Builder shadow(String v) { shadow = v; return this; }
        /** Compress the body ({@code compression='gzip'} in Celery); null for none. */
        public Builder compression(Compression v) { compression = v; return this; }
        /** The trace context headers ({@link #TRACE_HEADERS}); replaces the ones set before. */
        public Builder traceHeaders(Map<String, String> v) {
            traceHeaders = new LinkedHashMap<>();
            v.forEach((name, value) -> {
                if (TRACE_HEADERS.contains(name)) {
                    traceHeaders.put(name, value);
                }
            });
            return this;
        }

        public CeleryMessage build() {
            return new CeleryMessage(this);
        }
    }
}
