package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Celery task message, protocol v2: task name, id and the other fields in the AMQP headers, and
 * the JSON body {@code [args, kwargs, embed]}. Encoded the way Celery 5 does it, field by field and
 * type by type (see {@code shared/celery/wire-sample.json} and the test that compares the bytes).
 *
 * @param chain the remaining signatures of a chain, last one runs next (Celery's order)
 */
public record CeleryMessage(
        String task,
        String id,
        String rootId,
        String parentId,
        String group,
        int retries,
        String eta,
        String expires,
        Double softTimeLimit,
        Double hardTimeLimit,
        ArrayNode args,
        ObjectNode kwargs,
        JsonNode callbacks,
        JsonNode errbacks,
        List<Signature> chain,
        JsonNode chord,
        String origin,
        String replyTo,
        boolean ignoreResult,
        String lang) {

    public static final String CONTENT_TYPE = "application/json";
    public static final String CONTENT_ENCODING = "utf-8";

    public CeleryMessage {
        chain = chain == null ? List.of() : List.copyOf(chain);
        args = args == null ? JsonNodeFactory.instance.arrayNode() : args;
        kwargs = kwargs == null ? JsonNodeFactory.instance.objectNode() : kwargs;
    }

    /** A fresh message for a first call (root of its own workflow). */
    public static CeleryMessage call(String task, String id, ArrayNode args, ObjectNode kwargs, String origin,
            String replyTo) {
        return new CeleryMessage(task, id, id, null, null, 0, null, null, null, null, args, kwargs, null, null,
                List.of(), null, origin, replyTo, false, "py");
    }

    /** The AMQP headers table, in Celery's order and with Celery's types. */
    public Map<String, Object> headers() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lang", lang == null ? "py" : lang);
        h.put("task", task);
        h.put("id", id);
        h.put("shadow", null);
        h.put("eta", eta);
        h.put("expires", expires);
        h.put("group", group);
        h.put("group_index", null);
        h.put("retries", retries);
        h.put("timelimit", Arrays.asList(softTimeLimit, hardTimeLimit));
        h.put("root_id", rootId);
        h.put("parent_id", parentId);
        h.put("argsrepr", PythonJson.repr(args));
        h.put("kwargsrepr", PythonJson.repr(kwargs));
        h.put("origin", origin);
        h.put("ignore_result", ignoreResult);
        return h;
    }

    /** The body {@code [args, kwargs, {"callbacks", "errbacks", "chain", "chord"}]} as Python writes it. */
    public byte[] body() {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        body.add(args);
        body.add(kwargs);
        ObjectNode embed = body.addObject();
        embed.set("callbacks", callbacks == null ? NullNode.instance : callbacks);
        embed.set("errbacks", errbacks == null ? NullNode.instance : errbacks);
        if (chain.isEmpty()) {
            embed.set("chain", NullNode.instance);
        } else {
            ArrayNode c = embed.putArray("chain");
            for (Signature s : chain) {
                c.add(s.toJson());
            }
        }
        embed.set("chord", chord == null ? NullNode.instance : chord);
        return PythonJson.write(body).getBytes(StandardCharsets.UTF_8);
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

    public CeleryMessage withRetries(int newRetries, String newEta) {
        return new CeleryMessage(task, id, rootId, parentId, group, newRetries, newEta, expires, softTimeLimit,
                hardTimeLimit, args, kwargs, callbacks, errbacks, chain, chord, origin, replyTo, ignoreResult, lang);
    }

    /** Decodes a delivery; a message that is not Celery protocol v2 JSON is rejected with the reason. */
    public static CeleryMessage decode(AMQP.BasicProperties props, byte[] body) {
        Map<String, Object> h = props.getHeaders();
        if (h == null || h.get("task") == null || h.get("id") == null) {
            throw new IllegalArgumentException("not a Celery protocol v2 message: the 'task' and 'id' headers are missing");
        }
        String ct = props.getContentType();
        if (ct != null && !ct.equals(CONTENT_TYPE)) {
            throw new IllegalArgumentException("unsupported content type " + ct + " (only application/json)");
        }
        JsonNode root = PythonJson.read(body);
        if (!root.isArray() || root.size() < 2 || !root.get(0).isArray() || !root.get(1).isObject()) {
            throw new IllegalArgumentException("the body is not [args, kwargs, embed]");
        }
        JsonNode embed = root.size() > 2 && root.get(2).isObject() ? root.get(2) : JsonNodeFactory.instance.objectNode();
        List<Signature> chain = new ArrayList<>();
        JsonNode c = embed.get("chain");
        if (c != null && c.isArray()) {
            for (JsonNode s : c) {
                chain.add(Signature.fromJson(s));
            }
        }
        List<?> tl = h.get("timelimit") instanceof List ? (List<?>) h.get("timelimit") : List.of();
        return new CeleryMessage(
                str(h.get("task")), str(h.get("id")), str(h.get("root_id")), str(h.get("parent_id")),
                str(h.get("group")), h.get("retries") instanceof Number ? ((Number) h.get("retries")).intValue() : 0,
                str(h.get("eta")), str(h.get("expires")),
                tl.size() > 0 ? num(tl.get(0)) : null, tl.size() > 1 ? num(tl.get(1)) : null,
                (ArrayNode) root.get(0), (ObjectNode) root.get(1),
                nullToNull(embed.get("callbacks")), nullToNull(embed.get("errbacks")), chain,
                nullToNull(embed.get("chord")), str(h.get("origin")), props.getReplyTo(),
                Boolean.TRUE.equals(h.get("ignore_result")), str(h.get("lang")));
    }

    private static JsonNode nullToNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
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
}
