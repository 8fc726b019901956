package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Byte-for-byte comparison with what Celery 5.2.6 put on the wire and into Redis (shared/celery). */
class CeleryWireFormatTest {

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = CeleryWireFormatTest.class.getResourceAsStream("/celery/" + name)) {
            return PythonJson.MAPPER.readTree(in);
        }
    }

    private static CeleryMessage sampleMessage() {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add(1);
        ObjectNode kwargs = JsonNodeFactory.instance.objectNode().put("k", "v");
        return CeleryMessage.call("bench.echo", "61df7096-0422-4977-b772-fb9f2849911b", args, kwargs, "gen1936@vm",
                "7a60028a-9981-3e4a-8339-6bcf7451c4b1");
    }

    @Test
    void bodyIsByteForByteCeleryJson() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        CeleryMessage m = sampleMessage();
        assertEquals(wire.get("body").asText(), new String(m.body(), StandardCharsets.UTF_8));
        assertEquals(wire.at("/wire/body_hex").asText(), HexFormat.of().formatHex(m.body()));
    }

    @Test
    void contentHeaderFrameIsByteForByteCelery() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        CeleryMessage m = sampleMessage();
        byte[] payload = m.properties().toFrame(1, m.body().length).getPayload();
        assertEquals(wire.at("/wire/content_header_payload_hex").asText(), HexFormat.of().formatHex(payload));
    }

    @Test
    void decodesCeleryHeadersAsTheJavaClientDeliversThem() throws IOException {
        JsonNode wire = resource("wire-sample.json");
        Map<String, Object> h = new LinkedHashMap<>();
        wire.get("headers").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Object o;
            if (v.isTextual()) {
                o = LongStringHelper.asLongString(v.asText());
            } else if (v.isInt()) {
                o = v.asInt();
            } else if (v.isBoolean()) {
                o = v.asBoolean();
            } else if (v.isArray()) {
                o = Arrays.asList(null, null);
            } else {
                o = null;
            }
            h.put(e.getKey(), o);
        });
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").headers(h).replyTo("r").build();
        CeleryMessage m = CeleryMessage.decode(props, wire.get("body").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals("bench.echo", m.task());
        assertEquals("61df7096-0422-4977-b772-fb9f2849911b", m.id());
        assertEquals(m.id(), m.rootId());
        assertNull(m.parentId());
        assertEquals(0, m.retries());
        assertEquals(1, m.args().get(0).asInt());
        assertEquals("v", m.kwargs().get("k").asText());
        assertEquals(List.of(), m.chain());
        assertNull(m.hardTimeLimit());
    }

    @Test
    void rejectsWhatIsNotProtocolV2() {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").build();
        assertThrows(IllegalArgumentException.class, () -> CeleryMessage.decode(props, "[]".getBytes()));
    }

    @Test
    void successResultIsByteForByteCelery() throws IOException {
        JsonNode sample = resource("redis-result-samples.json").get("success");
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:11:10.250157Z"), ZoneOffset.UTC);
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("hello", "world").put("n", 42);
        TaskResult r = TaskResult.success("08f4c430-d0de-4e3f-a1e4-a0b9801fddce", value, clock);
        assertEquals(sample.get("raw").asText(), r.encode());
    }

    @Test
    void failureResultIsByteForByteCelery() throws IOException {
        JsonNode sample = resource("redis-result-samples.json").get("failure");
        JsonNode decoded = sample.get("decoded");
        TaskResult r = new TaskResult(TaskState.FAILURE, decoded.get("result"), decoded.get("traceback").asText(),
                JsonNodeFactory.instance.arrayNode(), decoded.get("date_done").asText(), decoded.get("task_id").asText());
        assertEquals(sample.get("raw").asText(), r.encode());
        TaskFailedException e = TaskFailedException.from(TaskResult.decode(sample.get("raw").asText()));
        assertEquals("ValueError", e.excType());
        assertEquals("builtins", e.excModule());
        assertEquals("ValueError: deliberate failure (task 41adb0af-df3f-4cf0-9c45-d48e83716fa6)", e.getMessage());
    }

    @Test
    void javaExceptionsBecomeCeleryExceptionDicts() {
        ObjectNode e = TaskResult.exception(new IllegalStateException("boom"));
        assertEquals("{\"exc_type\": \"IllegalStateException\", \"exc_message\": [\"boom\"], \"exc_module\": \"java.lang\"}",
                PythonJson.write(e));
    }

    @Test
    void dateDoneIsPythonIsoformat() {
        assertEquals("2026-11-27T06:11:10", TaskResult.dateDone(Clock.fixed(Instant.parse("2026-11-27T06:11:10Z"), ZoneOffset.UTC)));
        assertEquals("2026-11-27T06:11:10.000100",
                TaskResult.dateDone(Clock.fixed(Instant.parse("2026-11-27T06:11:10.0001Z"), ZoneOffset.UTC)));
    }

    @Test
    void reprMatchesPython() {
        assertEquals("[1, 'a', None, True, {'k': \"it's\"}]",
                PythonJson.repr(PythonJson.read("[1, \"a\", null, true, {\"k\": \"it's\"}]")));
        assertEquals("\"caf\\u00e9\"", PythonJson.write("café"));
    }

    @Test
    void chainSignaturesRoundTrip() {
        Signature s = Signature.of("vision.classify", "q.vision", "img").withTaskId("t1");
        Signature back = Signature.fromJson(s.toJson());
        assertEquals(s, back);
        assertEquals("{\"task\": \"vision.classify\", \"args\": [\"img\"], \"kwargs\": {}, \"options\": "
                + "{\"task_id\": \"t1\", \"queue\": \"q.vision\"}, \"subtask_type\": null, \"immutable\": false, "
                + "\"chord_size\": null}", PythonJson.write(s.toJson()));
    }
}
